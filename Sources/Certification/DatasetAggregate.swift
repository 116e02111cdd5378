public import LedgerCore

/// The decision state of one dataset: its global and workspace states, appearances and flag layers, folded from `dataset/<run>/<name>`.
public struct DatasetAggregate: CertificationAggregate, Hashable {
    /// The workspace name that addresses the dataset's global state.
    public static let globalWorkspace = "global"

    /// The dataset.
    public let key: DatasetKey
    /// The stream version after the last applied event.
    public private(set) var version: UInt64 = 0
    /// Whether the dataset was created.
    public private(set) var exists = false
    /// The global state (`OPEN` for online datasets, which follow their run's state).
    public private(set) var globalState: DatasetWorkspaceState = .waitingDQMGUI
    /// The state per offline workspace; empty for online datasets.
    public private(set) var workspaceStates: [String: DatasetWorkspaceState] = [:]
    /// Where the dataset appeared (`DQM GUI`, `DBS`), first appearance first.
    public private(set) var appearedIn: [String] = []
    /// The DQM GUI dataset names matched so far, first match first.
    public private(set) var guiDatasetNames: [String] = []
    /// The lumisection flags, automatic and manual.
    public private(set) var flags = FlagLayers()
    /// When the dataset was created.
    public private(set) var createdAt: LedgerTimestamp?
    /// When the last event was recorded.
    public private(set) var updatedAt: LedgerTimestamp?

    /// Creates the aggregate of a dataset with no events yet.
    public init(key: DatasetKey) {
        self.key = key
    }

    /// The dataset's stream.
    public var stream: StreamName { key.stream }

    /// The state in `workspace`, or the global state for `global`; nil for an unknown workspace.
    public func state(inWorkspace workspace: String) -> DatasetWorkspaceState? {
        workspace == Self.globalWorkspace ? globalState : workspaceStates[workspace]
    }

    /// Applies one event of this dataset's stream; others are ignored.
    public mutating func apply(_ event: CertificationEvent, recordedAt: LedgerTimestamp, actorKind: ActorKind) {
        guard event.stream == stream else { return }
        version += 1
        updatedAt = recordedAt
        switch event {
        case .datasetCreated(_, let global, let states, let appeared):
            exists = true
            createdAt = recordedAt
            globalState = global
            workspaceStates = states
            appearedIn = appeared
        case .datasetWorkspaceStateMoved(_, let workspace, _, let to, _):
            workspaceStates[workspace] = to
        case .datasetGlobalStateMoved(_, _, let to, _):
            globalState = to
        case .datasetAppearedIn(_, let source, let names):
            if !appearedIn.contains(source) { appearedIn.append(source) }
            for name in names where !guiDatasetNames.contains(name) { guiDatasetNames.append(name) }
        case .lumisectionFlagsSet(_, let component, let range, let flag, _):
            flags.set(flag, component: component, range: range, actorKind: actorKind)
        case .manualOverrideReleased(_, let component, let range):
            flags.releaseOverride(component: component, range: range)
        default:
            break
        }
    }

    /// Decodes and applies a recorded event of this dataset's stream.
    public mutating func apply(_ recorded: RecordedEvent) throws(CertificationError) {
        let event = try AggregateFold.decode(recorded, for: stream)
        apply(event, recordedAt: recorded.recordedAt, actorKind: recorded.actorKind)
        version = recorded.streamVersion
    }
}
