import Certification
public import LedgerCore

/// The certification projection: which view rows each certification event changes, and their new values.
///
/// The runtime calls ``apply(_:reader:)`` once per event in sequence order and writes every returned
/// update, with version = the event's sequence, in the same write transaction; later events of a batch
/// see earlier updates through the reader. `apply` depends only on the event and the reader, so a
/// rebuild gives the same rows.
///
/// ```swift
/// for event in log {
///     for update in try CertificationProjection.apply(event, reader: transaction) {
///         try transaction.put(update.key, update.value, version: event.sequence)
///     }
/// }
/// ```
///
/// - Important: A shipped ``version`` is frozen: a changed view definition or row encoding becomes a
///   new version, rebuilt side by side (blue/green).
public enum CertificationProjection {
    /// The projection's name.
    public static let name = "certification"
    /// The projection's definition version; a changed definition gets a new version.
    public static let version = 2

    /// The rows `event` changes: at most one update per row, in the order they were first written.
    ///
    /// Events the views do not use (configuration, comments, prescales, cycle creation and cycle
    /// states) return no updates. Errors from `reader` pass through unchanged.
    ///
    /// - Throws: ``ProjectionError`` for an event it cannot apply (a poison event: undecodable, or
    ///   inconsistent with the views) or a stored row that does not decode. It never crashes.
    public static func apply(_ event: RecordedEvent, reader: any ViewReader) throws -> [ViewUpdate] {
        let decoded: CertificationEvent
        do {
            decoded = try CertificationEvent.decode(event)
        } catch {
            throw ProjectionError(
                .undecodableEvent, "\(event.type) v\(event.schemaVersion) on \(event.stream) does not decode: \(error.message)",
                sequence: event.sequence, cause: error)
        }
        var step = ProjectionStep(event: event, changes: RowChanges(reader: reader))
        try step.apply(decoded)
        return try step.changes.updates()
    }
}

/// The application of one event: its row changes, built by the per-event handlers.
struct ProjectionStep {
    let event: RecordedEvent
    var changes: RowChanges

    var sequence: UInt64 { event.sequence }

    func fail(_ message: String) -> ProjectionError {
        ProjectionError(.inconsistentEvent, "\(event.type) on \(event.stream): \(message)", sequence: event.sequence)
    }

    func checkRun(_ run: Int) throws(ProjectionError) {
        guard ViewKeys.isValidRun(run) else { throw fail("run number \(run) is outside 0…\(UInt32.max)") }
    }

    mutating func apply(_ e: CertificationEvent) throws {
        switch e {
        case .runCreated(let run, let oms, let runClass, let significant):
            try createRun(run, oms: oms, runClass: runClass, significant: significant)
        case .runOMSAttributesSet(let run, let attributes):
            try updateRun(run) { $0.omsAttributes.merge(attributes) { _, new in new } }
        case .runClassSet(let run, let runClass):
            try updateRun(run) { $0.runClass = runClass }
        case .runSignificanceSet(let run, let significant):
            try updateRun(run) { $0.significant = significant }
        case .runStopReasonSet(let run, let reason):
            try updateRun(run) { $0.stopReason = reason }
        case .runStateMoved(let run, _, let to, _):
            try moveRun(run, to: to)
        case .runLumisectionCountSet(let run, let count):
            try setLumisectionCount(run, count)
        case .datasetCreated(let key, let global, let states, let appearedIn):
            try createDataset(key, global: global, states: states, appearedIn: appearedIn)
        case .datasetWorkspaceStateMoved(let key, let workspace, _, let to, _):
            try moveDataset(key, workspace: workspace, to: to)
        case .datasetGlobalStateMoved(let key, _, let to, _):
            try moveDataset(key, workspace: DatasetAggregate.globalWorkspace, to: to)
        case .datasetAppearedIn(let key, let source, let names):
            try updateDataset(key) { d in
                if !d.appearedIn.contains(source) { d.appearedIn.append(source) }
                for name in names where !d.guiDatasetNames.contains(name) { d.guiDatasetNames.append(name) }
            }
        case .lumisectionFlagsSet(let key, let component, let range, let flag, _):
            try changeFlags(key, component: component, range: range) { view, seq, kind in
                view.set(FlagDecision(flag: flag, sequence: seq), over: range, actorKind: kind)
            }
        case .manualOverrideReleased(let key, let component, let range):
            try changeFlags(key, component: component, range: range) { view, _, _ in view.releaseOverride(over: range) }
        case .omsLumisectionBitsSet(let key, let range, let bits, _):
            try setOMSBits(key, range: range, bits: bits)
        case .omsLuminositySet(let key, let range, let recorded, let delivered):
            try setLuminosity(key, range: range, recorded: recorded, delivered: delivered)
        case .cycleDatasetsAdded(let cycle, let keys):
            for key in keys { try updateDataset(key) { $0.cycles.insertSorted(cycle) } }
        case .cycleDatasetsRemoved(let cycle, let keys):
            for key in keys { try updateDataset(key) { $0.cycles.removeSorted(cycle) } }
        case .prescaleSet, .commentAdded, .cycleCreated, .cycleWorkspaceStateSet, .classifierSet, .classifierRemoved,
            .datasetsAcceptedRuleSet, .datasetsAcceptedRuleRemoved, .permissionSet, .permissionRemoved,
            .componentCatalogueChanged:
            break
        }
    }
}
