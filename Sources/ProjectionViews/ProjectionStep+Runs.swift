import Certification
import LedgerCore

extension ProjectionStep {
    // MARK: - Row access

    mutating func loadRun(_ run: Int) throws -> RunView {
        try checkRun(run)
        guard let bytes = try changes.read(ViewKeys.run(run)) else { throw fail("run \(run) does not exist") }
        return try RunView(decoding: bytes)
    }

    /// The dataset names of `run`, read without decoding the rest of its row.
    mutating func runDatasetNames(_ run: Int) throws -> [String] {
        try checkRun(run)
        guard let bytes = try changes.read(ViewKeys.run(run)) else { throw fail("run \(run) does not exist") }
        return try RunView.datasetNames(in: bytes)
    }

    mutating func store(_ view: RunView) {
        changes.write(ViewKeys.run(view.run), view.encoded())
    }

    mutating func loadDataset(_ key: DatasetKey) throws -> DatasetView {
        try checkRun(key.run)
        guard let bytes = try changes.read(ViewKeys.dataset(key)) else { throw fail("\(key) does not exist") }
        return try DatasetView.decode(bytes)
    }

    mutating func store(_ view: DatasetView) {
        changes.write(ViewKeys.dataset(view.key), view.encoded())
    }

    /// A dataset's `summaries` row (dataset-level fields only).
    mutating func loadSummary(_ key: DatasetKey) throws -> DatasetSummaryView {
        guard let bytes = try changes.read(ViewKeys.summary(key)) else { throw fail("\(key) has no summary; it does not exist") }
        return try DatasetSummaryView.decode(bytes)
    }

    /// Stores a dataset's `summaries` row, stamped with this event's sequence.
    mutating func store(_ view: DatasetSummaryView) {
        var view = view
        view.lastSequence = sequence
        changes.write(ViewKeys.summary(DatasetKey(run: view.run, name: view.name)), view.encoded())
    }

    /// The luminosity sums of `run`, nil when it has no luminosity yet.
    mutating func loadLuminositySums(_ run: Int) throws -> LuminosityView.Sums? {
        guard let bytes = try changes.read(ViewKeys.luminosity(run: run)) else { return nil }
        return try LuminosityView.Sums(bytes)
    }

    // MARK: - Run events

    mutating func createRun(_ run: Int, oms: [String: CanonicalValue], runClass: String, significant: Bool) throws {
        try checkRun(run)
        guard try changes.read(ViewKeys.run(run)) == nil else { throw fail("run \(run) exists already") }
        store(
            RunView(
                run: run, omsAttributes: oms, runClass: runClass, state: .open, significant: significant, stopReason: "",
                lumisectionCount: nil, datasets: [], createdAt: event.recordedAt, updatedAt: event.recordedAt,
                lastSequence: sequence))
    }

    mutating func updateRun(_ run: Int, _ change: (inout RunView) -> Void) throws {
        var view = try loadRun(run)
        change(&view)
        view.updatedAt = event.recordedAt
        view.lastSequence = sequence
        store(view)
    }

    /// Moves the run, and the online dataset that follows it (its global state and its `online` pass row).
    mutating func moveRun(_ run: Int, to: RunState) throws {
        try updateRun(run) { $0.state = to }
        let online = DatasetKey.online(run: run)
        guard try changes.read(ViewKeys.dataset(online)) != nil else { return }
        let state: DatasetWorkspaceState
        switch to {
        case .open: state = .open
        case .signOff: state = .signOff
        case .completed: state = .completed
        }
        try moveDataset(online, workspace: DatasetAggregate.globalWorkspace, to: state)
    }

    mutating func setLumisectionCount(_ run: Int, _ count: Int) throws {
        var view = try loadRun(run)
        view.lumisectionCount = count
        view.updatedAt = event.recordedAt
        view.lastSequence = sequence
        store(view)
        for name in view.datasets {
            var summary = try loadSummary(DatasetKey(run: run, name: name))
            summary.lumisectionCount = count
            store(summary)
        }
    }
}
