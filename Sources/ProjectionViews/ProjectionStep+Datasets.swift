import Certification
import LedgerCore

extension ProjectionStep {
    mutating func createDataset(
        _ key: DatasetKey, global: DatasetWorkspaceState, states: [String: DatasetWorkspaceState], appearedIn: [String]
    ) throws {
        var run = try loadRun(key.run)
        guard try changes.read(ViewKeys.dataset(key)) == nil else { throw fail("\(key) exists already") }
        let passKey = (try? ProcessingPass(datasetName: key.name))?.key ?? ""
        let view = DatasetView(
            run: key.run, name: key.name, passKey: passKey, globalState: global, workspaceStates: states,
            appearedIn: appearedIn, guiDatasetNames: [], cycles: [], createdAt: event.recordedAt,
            updatedAt: event.recordedAt, lastSequence: sequence)
        store(view)

        run.datasets.insertSorted(key.name)
        run.updatedAt = event.recordedAt
        run.lastSequence = sequence
        store(run)

        // The summary row starts from the run's facts: its LS count and luminosity. Components and groups
        // get rows when they get flags; the DCS counts are the run's `oms` rows.
        let workspaces = states.keys.filter { $0 != DatasetAggregate.globalWorkspace }.sorted(by: String.utf8Less)
        var summary = DatasetSummaryView(
            run: key.run, name: key.name, passKey: passKey, workspaces: workspaces,
            lumisectionCount: run.lumisectionCount, lastSequence: sequence)
        if let sums = try loadLuminositySums(key.run) {
            summary.recordedLuminosity = sums.recordedTotal
            summary.deliveredLuminosity = sums.deliveredTotal
        }
        store(summary)

        try movePass(key, passKey: passKey, group: DatasetAggregate.globalWorkspace, from: nil, to: global)
        for ws in workspaces { try movePass(key, passKey: passKey, group: ws, from: nil, to: states[ws]) }
    }

    mutating func updateDataset(_ key: DatasetKey, _ change: (inout DatasetView) -> Void) throws {
        var view = try loadDataset(key)
        change(&view)
        view.updatedAt = event.recordedAt
        view.lastSequence = sequence
        store(view)
    }

    /// Moves a dataset's state in a workspace (or `global`), and its pass rows: the state byte of its
    /// row is patched in place, nothing else is decoded.
    mutating func moveDataset(_ key: DatasetKey, workspace: String, to: DatasetWorkspaceState) throws {
        try checkRun(key.run)
        let rowKey = ViewKeys.dataset(key)
        guard let bytes = try changes.read(rowKey) else { throw fail("\(key) does not exist") }
        let (offset, passKey) = try DatasetView.locate(bytes, workspace: workspace)
        guard let offset else { throw fail("\(key) has no workspace '\(workspace)'") }
        let from = try DatasetView.state(bytes, at: offset)
        changes.write(rowKey, DatasetView.patch(bytes, stateAt: offset, to: to, sequence: sequence, updatedAt: event.recordedAt))
        try movePass(key, passKey: passKey, group: workspace, from: from, to: to)
    }
}
