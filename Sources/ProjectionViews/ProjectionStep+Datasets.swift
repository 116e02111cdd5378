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

        // The summary starts from the run's facts: its LS count, luminosity and (online) OMS bits.
        let workspaces = states.keys.filter { $0 != DatasetAggregate.globalWorkspace }.sorted(by: String.utf8Less)
        var summary = DatasetSummaryView(
            run: key.run, name: key.name, passKey: passKey, workspaces: workspaces,
            lumisectionCount: run.lumisectionCount, lastSequence: sequence)
        if let sums = try loadLuminositySums(key.run) {
            summary.recordedLuminosity = sums.recordedTotal
            summary.deliveredLuminosity = sums.deliveredTotal
        }
        if !key.isOnline, let online = try changes.read(ViewKeys.summary(.online(run: key.run))) {
            summary.dcs = try DatasetSummaryView.decode(online).dcs
        }
        for group in [DatasetAggregate.globalWorkspace] + workspaces {
            summary.certification[group] = DatasetSummaryView.Certification()
        }
        store(summary)

        try movePass(view, group: DatasetAggregate.globalWorkspace, from: nil, to: global)
        for ws in workspaces { try movePass(view, group: ws, from: nil, to: states[ws]) }
    }

    mutating func updateDataset(_ key: DatasetKey, _ change: (inout DatasetView) -> Void) throws {
        var view = try loadDataset(key)
        change(&view)
        view.updatedAt = event.recordedAt
        view.lastSequence = sequence
        store(view)
    }

    /// Moves a dataset's state in a workspace (or `global`), and its pass row.
    mutating func moveDataset(_ key: DatasetKey, workspace: String, to: DatasetWorkspaceState) throws {
        var view = try loadDataset(key)
        guard let from = view.state(inWorkspace: workspace) else {
            throw fail("\(key) has no workspace '\(workspace)'")
        }
        if workspace == DatasetAggregate.globalWorkspace {
            view.globalState = to
        } else {
            view.workspaceStates[workspace] = to
        }
        view.updatedAt = event.recordedAt
        view.lastSequence = sequence
        store(view)
        try movePass(view, group: workspace, from: from, to: to)
    }
}
