public import LedgerCore

/// The decision state of one offline certification cycle: its workspaces' states and member datasets, folded from `cycle/<id>`.
public struct CycleAggregate: CertificationAggregate, Hashable {
    /// The most datasets a cycle may hold.
    public static let maximumDatasets = 1000

    /// The cycle id.
    public let id: String
    /// The stream version after the last applied event.
    public private(set) var version: UInt64 = 0
    /// Whether the cycle was created.
    public private(set) var exists = false
    /// The cycle name, e.g. `UL2018 cycle 3`.
    public private(set) var name = ""
    /// The deadline, if any.
    public private(set) var deadline: LedgerTimestamp?
    /// The state per workspace.
    public private(set) var workspaceStates: [String: CycleWorkspaceState] = [:]
    /// The global state.
    public private(set) var globalState: CycleWorkspaceState = .pending
    /// The member datasets.
    public private(set) var datasets: Set<DatasetKey> = []

    /// Creates the aggregate of a cycle with no events yet.
    public init(id: String) {
        self.id = id
    }

    /// The cycle's stream.
    public var stream: StreamName { .cycle(id) }

    /// Applies one event of this cycle's stream; others are ignored.
    public mutating func apply(_ event: CertificationEvent, recordedAt: LedgerTimestamp, actorKind: ActorKind) {
        guard event.stream == stream else { return }
        version += 1
        switch event {
        case .cycleCreated(_, let name, let deadline, let workspaces):
            exists = true
            self.name = name
            self.deadline = deadline
            workspaceStates = Dictionary(uniqueKeysWithValues: Set(workspaces).map { ($0, .pending) })
            globalState = .pending
        case .cycleDatasetsAdded(_, let keys):
            datasets.formUnion(keys)
        case .cycleDatasetsRemoved(_, let keys):
            datasets.subtract(keys)
        case .cycleWorkspaceStateSet(_, let workspace, let state, _):
            if workspace == DatasetAggregate.globalWorkspace { globalState = state } else { workspaceStates[workspace] = state }
        default:
            break
        }
    }

    /// Decodes and applies a recorded event of this cycle's stream.
    public mutating func apply(_ recorded: RecordedEvent) throws(CertificationError) {
        let event = try AggregateFold.decode(recorded, for: stream)
        apply(event, recordedAt: recorded.recordedAt, actorKind: recorded.actorKind)
        version = recorded.streamVersion
    }

    /// Decides a cycle command: the events to append, or a typed rejection.
    ///
    /// `datasets` holds the aggregates of the datasets the command names (for adding) or of every
    /// member (for completing a workspace); a dataset missing from it counts as not existing.
    /// Completing a workspace needs every member COMPLETED in it (`not significant for workspace`
    /// counts as done); completing `global` needs every workspace completed. A globally completed
    /// cycle takes no dataset changes, and its workspaces cannot be reopened.
    public func decide(
        _ command: CycleCommand, context: CommandContext, datasets known: [DatasetKey: DatasetAggregate] = [:]
    ) throws(CertificationError) -> [CertificationEvent] {
        if case .create(let name, let deadline, let workspaces) = command {
            guard CycleID.isValid(id) else { throw CertificationError(.invalidArgument, "'\(id)': \(CycleID.rule)") }
            guard !exists else { throw CertificationError(.alreadyExists, "cycle \(id) exists already") }
            try CommandText.checkLine(name, what: "the name of cycle \(id)", allowEmpty: false)
            guard !workspaces.isEmpty else {
                throw CertificationError(.invalidArgument, "cycle \(id) needs at least one workspace")
            }
            for ws in workspaces where !ComponentKey.isValidWorkspace(ws) || ws == DatasetAggregate.globalWorkspace {
                throw CertificationError(.invalidArgument, "'\(ws)' is not a workspace name for cycle \(id)")
            }
            guard Set(workspaces).count == workspaces.count else {
                throw CertificationError(.invalidArgument, "cycle \(id) lists a workspace twice")
            }
            return [.cycleCreated(cycle: id, name: name, deadline: deadline, workspaces: workspaces)]
        }
        guard exists else { throw CertificationError(.notFound, "cycle \(id) does not exist") }
        switch command {
        case .create:
            return []
        case .addDatasets(let keys):
            try requireNotCompleted("take new datasets")
            var fresh: [DatasetKey] = []
            for k in keys where !datasets.contains(k) && !fresh.contains(k) {
                guard !k.isOnline else {
                    throw CertificationError(.onlineDatasetInCycle, "cycle \(id) cannot hold the online dataset of run \(k.run)")
                }
                guard known[k]?.exists == true else {
                    throw CertificationError(.notFound, "\(k) does not exist, so it cannot join cycle \(id)")
                }
                fresh.append(k)
            }
            guard !fresh.isEmpty else { return [] }
            guard datasets.count + fresh.count <= Self.maximumDatasets else {
                throw CertificationError(
                    .cycleTooLarge,
                    "cycle \(id) holds \(datasets.count) datasets; adding \(fresh.count) would pass the limit of \(Self.maximumDatasets)"
                )
            }
            return [.cycleDatasetsAdded(cycle: id, datasets: fresh.sorted())]
        case .removeDatasets(let keys):
            try requireNotCompleted("lose datasets")
            let unique = Set(keys)
            for k in unique where !datasets.contains(k) {
                throw CertificationError(.notFound, "\(k) is not in cycle \(id)")
            }
            guard !unique.isEmpty else { return [] }
            return [.cycleDatasetsRemoved(cycle: id, datasets: unique.sorted())]
        case .setWorkspaceState(let workspace, let to, let reason):
            return try decideWorkspaceState(workspace: workspace, to: to, reason: reason, known: known)
        }
    }

    private func requireNotCompleted(_ what: String) throws(CertificationError) {
        guard globalState == .pending else {
            throw CertificationError(
                .cycleIncomplete, "cycle \(id) is completed globally and cannot \(what); reopen it globally first")
        }
    }

    private func decideWorkspaceState(
        workspace: String, to: CycleWorkspaceState, reason: String, known: [DatasetKey: DatasetAggregate]
    ) throws(CertificationError) -> [CertificationEvent] {
        let isGlobal = workspace == DatasetAggregate.globalWorkspace
        guard let from = isGlobal ? globalState : workspaceStates[workspace] else {
            let names = ([DatasetAggregate.globalWorkspace] + workspaceStates.keys.sorted()).joined(separator: ", ")
            throw CertificationError(.notFound, "cycle \(id) has no workspace '\(workspace)'; its workspaces: \(names)")
        }
        guard from != to else {
            throw CertificationError(.invalidTransition, "cycle \(id) is already \(to.rawValue) in workspace \(workspace)")
        }
        guard let direction = CycleWorkspaceState.direction(from: from, to: to) else {
            throw CertificationError(.invalidTransition, "cycle \(id) cannot move from \(from) to \(to) in \(workspace)")
        }
        try StateMoveRules.checkReason(reason, direction: direction, what: "cycle \(id) in workspace \(workspace)")
        if to == .completed {
            if isGlobal {
                let pending = workspaceStates.filter { $0.value != .completed }.keys.sorted()
                guard pending.isEmpty else {
                    throw CertificationError(
                        .cycleIncomplete,
                        "cycle \(id) cannot be completed globally: workspaces still pending: \(pending.joined(separator: ", "))")
                }
            } else {
                var open: [String] = []
                for k in datasets.sorted() {
                    let state = known[k]?.state(inWorkspace: workspace)
                    if state != .completed && state != .notSignificant {
                        open.append("\(k.run) \(k.name) (\(state?.rawValue ?? "unknown"))")
                    }
                }
                guard open.isEmpty else {
                    let shown = open.prefix(5).joined(separator: "; ")
                    throw CertificationError(
                        .cycleIncomplete,
                        "cycle \(id) cannot be completed in \(workspace): \(open.count) datasets are not COMPLETED there: \(shown)\(open.count > 5 ? "; …" : "")"
                    )
                }
            }
        } else if !isGlobal {
            try requireNotCompleted("reopen workspace \(workspace)")
        }
        return [.cycleWorkspaceStateSet(cycle: id, workspace: workspace, state: to, reason: reason)]
    }
}
