import Certification
import LedgerCore

extension ProjectionStep {
    /// Moves `dataset` from state `from` to `to` in the `group` row of its pass (nil = not counted there).
    ///
    /// Dataset counts move by one. A run counts once per state however many of its datasets of the
    /// pass share that state, so the run's other datasets of the same pass (from its ``RunView``) are
    /// consulted before the run counts move.
    mutating func movePass(_ dataset: DatasetView, group: String, from: DatasetWorkspaceState?, to: DatasetWorkspaceState?)
        throws
    {
        guard !dataset.passKey.isEmpty, from != to else { return }
        let key = ViewKeys.pass(dataset.passKey, workspace: group)
        var pass = try changes.read(key).map { bytes throws(ProjectionError) in try PassView.decode(bytes) }
            ?? PassView(passKey: dataset.passKey, workspace: group)

        var siblingStates: [DatasetWorkspaceState] = []
        let run = try loadRun(dataset.run)
        for name in run.datasets where name != dataset.name && Self.mayShareRow(name, dataset.passKey) {
            guard (try? ProcessingPass(datasetName: name))?.key == dataset.passKey else { continue }
            if let state = try loadDataset(DatasetKey(run: dataset.run, name: name)).state(inWorkspace: group) {
                siblingStates.append(state)
            }
        }
        if let from {
            Self.bump(&pass.datasetCounts, from, -1)
            if !siblingStates.contains(from) { Self.bump(&pass.runCounts, from, -1) }
        }
        if let to {
            Self.bump(&pass.datasetCounts, to, 1)
            if !siblingStates.contains(to) { Self.bump(&pass.runCounts, to, 1) }
        }
        pass.setOpenItem(dataset.key, state: to)
        pass.lastSequence = sequence
        changes.write(key, pass.encoded())
    }

    /// Adds `delta` to the certified luminosity of the `group` row of `passKey`.
    mutating func addCertifiedLuminosity(_ delta: Double, passKey: String, group: String) throws {
        guard !passKey.isEmpty, delta != 0 else { return }
        let key = ViewKeys.pass(passKey, workspace: group)
        guard let bytes = try changes.read(key) else {
            throw fail("pass \(passKey) has no row for workspace \(group), though a dataset of it has flags there")
        }
        changes.write(key, try PassView.patchLuminosity(bytes, delta: delta, sequence: sequence))
    }

    /// A cheap filter before parsing a sibling's pass: only `online` shares the online pass, and
    /// offline names of one pass differ at most in the case of their processing part.
    private static func mayShareRow(_ name: String, _ passKey: String) -> Bool {
        if passKey == ProcessingPass.online.key || name == DatasetKey.onlineName { return false }
        return true
    }

    private static func bump(_ counts: inout [DatasetWorkspaceState: Int], _ state: DatasetWorkspaceState, _ delta: Int) {
        let v = counts[state, default: 0] + delta
        counts[state] = v == 0 ? nil : v
    }
}
