public import LedgerCore

/// A certification fact recorded in the log: one case per event type.
///
/// Each case has a ``typeName``, a current ``schemaVersion``, a ``payload`` (snake_case fields) and a
/// ``stream``; ``decode(type:schemaVersion:payload:)`` reads any stored version back, upcasting older
/// ones. See design/events.md for every payload layout.
public enum CertificationEvent: Sendable, Hashable {
    // Run stream.
    /// A run was created, with its OMS attributes, class and significance; its state is OPEN.
    case runCreated(run: Int, omsAttributes: [String: CanonicalValue], runClass: String, significant: Bool)
    /// OMS attributes were set (a shallow merge: these keys replace the old values).
    case runOMSAttributesSet(run: Int, attributes: [String: CanonicalValue])
    /// The run class was set.
    case runClassSet(run: Int, runClass: String)
    /// The run's significance was set.
    case runSignificanceSet(run: Int, significant: Bool)
    /// The stop reason was set.
    case runStopReasonSet(run: Int, stopReason: String)
    /// The run moved between states.
    case runStateMoved(run: Int, from: RunState, to: RunState, reason: String)
    /// The number of lumisections of the run was set.
    case runLumisectionCountSet(run: Int, count: Int)

    // Dataset stream.
    /// A dataset was created with its global and per-workspace states.
    case datasetCreated(
        DatasetKey, globalState: DatasetWorkspaceState, workspaceStates: [String: DatasetWorkspaceState],
        appearedIn: [String])
    /// A dataset's state in one workspace moved.
    case datasetWorkspaceStateMoved(
        DatasetKey, workspace: String, from: DatasetWorkspaceState, to: DatasetWorkspaceState, reason: String)
    /// A dataset's global state moved.
    case datasetGlobalStateMoved(DatasetKey, from: DatasetWorkspaceState, to: DatasetWorkspaceState, reason: String)
    /// A dataset appeared in a source (`DQM GUI`, `DBS`), with the GUI dataset names that matched.
    case datasetAppearedIn(DatasetKey, source: String, guiDatasetNames: [String])
    /// A flag was set on a component over a lumisection range; manual when the actor is a person.
    case lumisectionFlagsSet(DatasetKey, component: String, range: LumisectionRange, flag: Flag, rule: String?)
    /// A person released the manual flags of a component over a range.
    case manualOverrideReleased(DatasetKey, component: String, range: LumisectionRange)
    /// OMS (DCS) bits were set over a range; nil means null.
    case omsLumisectionBitsSet(DatasetKey, range: LumisectionRange, bits: [String: Bool?], comment: String)
    /// Recorded and delivered luminosity per lumisection of a range (one value per lumisection).
    case omsLuminositySet(DatasetKey, range: LumisectionRange, recorded: [Double], delivered: [Double])
    /// The prescale index and name over a range.
    case prescaleSet(DatasetKey, range: LumisectionRange, index: Int?, name: String?)

    // Run or dataset stream.
    /// A comment was added to a run, a dataset or a lumisection range.
    case commentAdded(CommentTarget, text: String)

    // Cycle stream.
    /// A cycle was created; every workspace and the global state start pending.
    case cycleCreated(cycle: String, name: String, deadline: LedgerTimestamp?, workspaces: [String])
    /// Datasets joined a cycle.
    case cycleDatasetsAdded(cycle: String, datasets: [DatasetKey])
    /// Datasets left a cycle.
    case cycleDatasetsRemoved(cycle: String, datasets: [DatasetKey])
    /// A cycle's state in a workspace (or `global`) was set.
    case cycleWorkspaceStateSet(cycle: String, workspace: String, state: CycleWorkspaceState, reason: String)

    // Configuration streams.
    /// A classifier was created or replaced.
    case classifierSet(Classifier)
    /// A classifier was removed.
    case classifierRemoved(kind: Classifier.Kind, id: Int)
    /// A datasets-accepted rule was created or replaced.
    case datasetsAcceptedRuleSet(DatasetsAcceptedRule)
    /// A datasets-accepted rule was removed.
    case datasetsAcceptedRuleRemoved(id: Int)
    /// A permission was created or replaced.
    case permissionSet(Permission)
    /// A permission was removed.
    case permissionRemoved(id: Int)
    /// The component catalogue was replaced.
    case componentCatalogueChanged(ComponentCatalogue)

    /// The event type name stored in the log.
    public var typeName: String {
        switch self {
        case .runCreated: return "RunCreated"
        case .runOMSAttributesSet: return "RunOMSAttributesSet"
        case .runClassSet: return "RunClassSet"
        case .runSignificanceSet: return "RunSignificanceSet"
        case .runStopReasonSet: return "RunStopReasonSet"
        case .runStateMoved: return "RunStateMoved"
        case .runLumisectionCountSet: return "RunLumisectionCountSet"
        case .datasetCreated: return "DatasetCreated"
        case .datasetWorkspaceStateMoved: return "DatasetWorkspaceStateMoved"
        case .datasetGlobalStateMoved: return "DatasetGlobalStateMoved"
        case .datasetAppearedIn: return "DatasetAppearedIn"
        case .lumisectionFlagsSet: return "LumisectionFlagsSet"
        case .manualOverrideReleased: return "ManualOverrideReleased"
        case .omsLumisectionBitsSet: return "OMSLumisectionBitsSet"
        case .omsLuminositySet: return "OMSLuminositySet"
        case .prescaleSet: return "PrescaleSet"
        case .commentAdded: return "CommentAdded"
        case .cycleCreated: return "CycleCreated"
        case .cycleDatasetsAdded: return "CycleDatasetsAdded"
        case .cycleDatasetsRemoved: return "CycleDatasetsRemoved"
        case .cycleWorkspaceStateSet: return "CycleWorkspaceStateSet"
        case .classifierSet: return "ClassifierSet"
        case .classifierRemoved: return "ClassifierRemoved"
        case .datasetsAcceptedRuleSet: return "DatasetsAcceptedRuleSet"
        case .datasetsAcceptedRuleRemoved: return "DatasetsAcceptedRuleRemoved"
        case .permissionSet: return "PermissionSet"
        case .permissionRemoved: return "PermissionRemoved"
        case .componentCatalogueChanged: return "ComponentCatalogueChanged"
        }
    }

    /// The schema version this code writes for the event's type.
    public var schemaVersion: UInt32 { Self.currentSchemaVersions[typeName] ?? 1 }

    /// The schema version this code writes, per event type; every type is listed.
    public static let currentSchemaVersions: [String: UInt32] = [
        "RunCreated": 1, "RunOMSAttributesSet": 1, "RunClassSet": 1, "RunSignificanceSet": 1,
        "RunStopReasonSet": 1, "RunStateMoved": 1, "RunLumisectionCountSet": 1, "DatasetCreated": 1,
        "DatasetWorkspaceStateMoved": 1, "DatasetGlobalStateMoved": 1, "DatasetAppearedIn": 1,
        "LumisectionFlagsSet": 2, "ManualOverrideReleased": 1, "OMSLumisectionBitsSet": 1, "OMSLuminositySet": 1,
        "PrescaleSet": 1, "CommentAdded": 1, "CycleCreated": 1, "CycleDatasetsAdded": 1, "CycleDatasetsRemoved": 1,
        "CycleWorkspaceStateSet": 1, "ClassifierSet": 1, "ClassifierRemoved": 1, "DatasetsAcceptedRuleSet": 1,
        "DatasetsAcceptedRuleRemoved": 1, "PermissionSet": 1, "PermissionRemoved": 1,
        "ComponentCatalogueChanged": 1,
    ]

    /// The stream the event belongs to.
    public var stream: StreamName {
        switch self {
        case .runCreated(let run, _, _, _), .runOMSAttributesSet(let run, _), .runClassSet(let run, _),
            .runSignificanceSet(let run, _), .runStopReasonSet(let run, _), .runStateMoved(let run, _, _, _),
            .runLumisectionCountSet(let run, _):
            return .run(run)
        case .datasetCreated(let k, _, _, _), .datasetWorkspaceStateMoved(let k, _, _, _, _),
            .datasetGlobalStateMoved(let k, _, _, _), .datasetAppearedIn(let k, _, _),
            .lumisectionFlagsSet(let k, _, _, _, _), .manualOverrideReleased(let k, _, _),
            .omsLumisectionBitsSet(let k, _, _, _), .omsLuminositySet(let k, _, _, _), .prescaleSet(let k, _, _, _):
            return k.stream
        case .commentAdded(let target, _):
            switch target {
            case .run(let n): return .run(n)
            case .dataset(let k), .lumisections(let k, _, _): return k.stream
            }
        case .cycleCreated(let id, _, _, _), .cycleDatasetsAdded(let id, _), .cycleDatasetsRemoved(let id, _),
            .cycleWorkspaceStateSet(let id, _, _, _):
            return .cycle(id)
        case .classifierSet, .classifierRemoved: return .config(.classifiers)
        case .datasetsAcceptedRuleSet, .datasetsAcceptedRuleRemoved: return .config(.datasetsAccepted)
        case .permissionSet, .permissionRemoved: return .config(.permissions)
        case .componentCatalogueChanged: return .config(.components)
        }
    }

    /// Whether the event starts its stream, so its append expects the stream not to exist.
    public var createsStream: Bool {
        switch self {
        case .runCreated, .datasetCreated, .cycleCreated: return true
        default: return false
        }
    }

    /// The event as a proposal for an ``AppendBatch``.
    public func proposed(reason: String? = nil) -> ProposedEvent {
        ProposedEvent(
            stream: stream.id, type: typeName, schemaVersion: schemaVersion, payload: payload.encoded, reason: reason)
    }
}
