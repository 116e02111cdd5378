public import Certification
public import Foundation
public import LedgerCore
public import LedgerStorage

/// A unit of work over the certification log: loads aggregates on demand, decides commands
/// against them, applies the resulting events locally, and commits everything as one atomic batch
/// with an expected version for every stream it touched.
///
/// ```swift
/// var session = CommandSession(log: log, context: context)
/// try session.execute(.run(355100, .setClass("Collisions24")))
/// try session.execute(.dataset(.online(run: 355100), .setFlags(component: "dt-dt", range: r, flag: Flag(.GOOD))))
/// let result = try await session.commit(reason: "shifter certification")
/// ```
///
/// A rejected command throws ``CertificationError`` and leaves the session as it was before that
/// command. A conflict at commit (another writer changed a stream meanwhile) appends nothing.
public struct CommandSession: Sendable {
    /// The log the session reads from and commits to.
    public let log: EventLog
    /// Who acts, how, and when.
    public var context: CommandContext
    private var runs: [Int: RunAggregate] = [:]
    private var datasets: [DatasetKey: DatasetAggregate] = [:]
    private var cycles: [String: CycleAggregate] = [:]
    private var configs: [ConfigKind: ConfigAggregate] = [:]
    private var runDatasetNames: [Int: Set<String>] = [:]
    /// Stream id → version when the session loaded it (0: did not exist).
    private var baseVersions: [String: UInt64] = [:]
    /// Events decided and not yet committed, with an optional per-event reason.
    public private(set) var pending: [(event: CertificationEvent, reason: String?)] = []
    /// Whether flag commands must name a component of the current catalogue (on for people's requests
    /// through the API; importers of historical files may carry components the catalogue no longer lists).
    public var checksComponentsAgainstCatalogue = false

    /// Creates a session that acts as `context`.
    public init(log: EventLog, context: CommandContext) {
        self.log = log
        self.context = context
    }

    // MARK: - Aggregates

    /// The run's aggregate, loaded from the log on first use.
    public mutating func run(_ number: Int) throws -> RunAggregate {
        try cached(runs[number], RunAggregate(runNumber: number)) { $0.runs[number] = $1 }
    }

    /// The dataset's aggregate, loaded from the log on first use.
    public mutating func dataset(_ key: DatasetKey) throws -> DatasetAggregate {
        try cached(datasets[key], DatasetAggregate(key: key)) { $0.datasets[key] = $1 }
    }

    /// The cycle's aggregate, loaded from the log on first use.
    public mutating func cycle(_ id: String) throws -> CycleAggregate {
        try cached(cycles[id], CycleAggregate(id: id)) { $0.cycles[id] = $1 }
    }

    /// A configuration set's aggregate, loaded from the log on first use.
    public mutating func config(_ kind: ConfigKind) throws -> ConfigAggregate {
        try cached(configs[kind], ConfigAggregate(kind: kind)) { $0.configs[kind] = $1 }
    }

    /// Returns the cached aggregate, or folds `empty` over its stream, stores it with `store` and returns it.
    private mutating func cached<A: CertificationAggregate>(
        _ existing: A?, _ empty: @autoclosure () -> A, store: (inout Self, A) -> Void
    ) throws -> A {
        if let existing { return existing }
        var aggregate = empty()
        try load(aggregate.stream.id) { try aggregate.apply($0) }
        store(&self, aggregate)
        return aggregate
    }

    /// The names of the run's datasets (online and offline), from the log and this session.
    public mutating func datasetNames(ofRun run: Int) throws -> Set<String> {
        if let names = runDatasetNames[run] { return names }
        let prefix = "dataset/\(run)/"
        let ids = try log.read { try $0.streamIDs(prefix: prefix) }
        var names = Set(ids.map { String($0.dropFirst(prefix.count)) })
        for key in datasets.keys where key.run == run && datasets[key]!.exists { names.insert(key.name) }
        runDatasetNames[run] = names
        return names
    }

    private mutating func load(_ stream: String, _ apply: (RecordedEvent) throws -> Void) throws {
        let (events, version) = try log.read { s in
            let events = try s.streamEvents(stream)
            return (events, events.last?.streamVersion ?? 0)
        }
        for e in events { try apply(e) }
        if baseVersions[stream] == nil { baseVersions[stream] = version }
    }

    // MARK: - Commands

    /// Decides `command`, applies its events to the session's aggregates and queues them.
    ///
    /// - Returns: the events (empty when the command changes nothing).
    @discardableResult
    public mutating func execute(_ command: CertificationCommand, reason: String? = nil) throws -> [CertificationEvent] {
        let events: [CertificationEvent]
        switch command {
        case .run(let number, let runCommand):
            let aggregate = try run(number)
            var signOff: SignOffInputs? = nil
            if case .moveState(let to, _) = runCommand, to == .signOff, aggregate.state == .open {
                let online = try dataset(.online(run: number))
                signOff = SignOffInputs(
                    acceptedRules: try config(.datasetsAccepted).sortedAcceptedRules,
                    catalogue: try config(.components).catalogue, onlineFlags: online.flags,
                    existingDatasets: try datasetNames(ofRun: number))
            }
            events = try aggregate.decide(runCommand, context: context, signOff: signOff)
        case .dataset(let key, let datasetCommand):
            if checksComponentsAgainstCatalogue {
                switch datasetCommand {
                case .setFlags(let component, _, _), .releaseManualOverride(let component, _):
                    try config(.components).catalogue.checkKnown(component)
                case .addComment(_, _, let component?):
                    try config(.components).catalogue.checkKnown(component)
                default:
                    break
                }
            }
            let runAggregate = try run(key.run)
            events = try dataset(key).decide(datasetCommand, run: runAggregate, context: context)
        case .cycle(let id, let cycleCommand):
            var known: [DatasetKey: DatasetAggregate] = [:]
            switch cycleCommand {
            case .addDatasets(let keys), .removeDatasets(let keys):
                for k in keys { known[k] = try dataset(k) }
            case .setWorkspaceState:
                for k in try cycle(id).datasets { known[k] = try dataset(k) }
            case .create:
                break
            }
            events = try cycle(id).decide(cycleCommand, context: context, datasets: known)
        case .config(let configCommand):
            events = try config(configCommand.kind).decide(configCommand, context: context)
        }
        for event in events {
            try route(event)
            pending.append((event, reason))
        }
        return events
    }

    /// Applies an event to the aggregate of its stream (loading it first).
    private mutating func route(_ event: CertificationEvent) throws {
        let time = context.time
        let kind = context.actorKind
        switch event.stream {
        case .run(let n):
            var a = try run(n)
            a.apply(event, recordedAt: time, actorKind: kind)
            runs[n] = a
        case .dataset(let run, let name):
            let key = DatasetKey(run: run, name: name)
            var a = try dataset(key)
            a.apply(event, recordedAt: time, actorKind: kind)
            datasets[key] = a
            if runDatasetNames[run] != nil { runDatasetNames[run]!.insert(name) }
        case .cycle(let id):
            var a = try cycle(id)
            a.apply(event, recordedAt: time, actorKind: kind)
            cycles[id] = a
        case .config(let k):
            var a = try config(k)
            a.apply(event, recordedAt: time, actorKind: kind)
            configs[k] = a
        }
    }

    // MARK: - Commit

    /// The batch that commits the pending events: every touched stream expects its loaded version.
    public func makeBatch(
        reason: String, idempotencyKey: String? = nil, correlationID: UUID? = nil, recordedAt: LedgerTimestamp? = nil
    ) -> AppendBatch {
        var batch = AppendBatch(
            actor: context.actor, actorKind: context.actorKind, reason: reason, correlationID: correlationID,
            idempotencyKey: idempotencyKey, recordedAt: recordedAt)
        batch.events.reserveCapacity(pending.count)
        for (event, eventReason) in pending {
            batch.events.append(event.proposed(reason: eventReason))
            let id = event.stream.id
            if batch.expectations[id] == nil { batch.expect(id, .exact(baseVersions[id] ?? 0)) }
        }
        return batch
    }

    /// Appends the pending events as one atomic batch, then continues from the committed state.
    ///
    /// - Returns: nil when nothing was pending.
    @discardableResult
    public mutating func commit(
        reason: String, idempotencyKey: String? = nil, correlationID: UUID? = nil, recordedAt: LedgerTimestamp? = nil
    ) async throws -> AppendResult? {
        guard !pending.isEmpty else { return nil }
        let batch = makeBatch(
            reason: reason, idempotencyKey: idempotencyKey, correlationID: correlationID, recordedAt: recordedAt)
        let result = try await log.append(batch)
        for (stream, version) in result.streamVersions { baseVersions[stream] = version }
        pending.removeAll()
        return result
    }

    /// Appends the pending events from a thread that may block; see ``commit(reason:idempotencyKey:correlationID:recordedAt:)``.
    @discardableResult
    public mutating func commitBlocking(
        reason: String, idempotencyKey: String? = nil, correlationID: UUID? = nil, recordedAt: LedgerTimestamp? = nil
    ) throws -> AppendResult? {
        guard !pending.isEmpty else { return nil }
        let batch = makeBatch(
            reason: reason, idempotencyKey: idempotencyKey, correlationID: correlationID, recordedAt: recordedAt)
        let result = try log.appendBlocking(batch)
        for (stream, version) in result.streamVersions { baseVersions[stream] = version }
        pending.removeAll()
        return result
    }

    /// Drops every aggregate and pending event, so the next use reloads from the log.
    public mutating func reset() {
        runs = [:]
        datasets = [:]
        cycles = [:]
        configs = [:]
        runDatasetNames = [:]
        baseVersions = [:]
        pending = []
    }
}
