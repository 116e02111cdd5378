public import Certification
public import LedgerCore
public import LedgerStorage

/// One decision in an audit answer: who, when, what and why.
public struct AuditEntry: Sendable, Hashable {
    /// The global sequence.
    public var sequence: UInt64
    /// When it was recorded.
    public var recordedAt: LedgerTimestamp
    /// The stream it belongs to.
    public var stream: String
    /// The event type.
    public var type: String
    /// Who decided.
    public var actor: String
    /// A person or an automatic writer.
    public var actorKind: ActorKind
    /// Why (the batch's or the event's reason).
    public var reason: String
    /// What changed, in one line.
    public var summary: String
    /// The decoded event, when it is a certification event.
    public var event: CertificationEvent?

    public init(_ recorded: RecordedEvent) {
        sequence = recorded.sequence
        recordedAt = recorded.recordedAt
        stream = recorded.stream
        type = recorded.type
        actor = recorded.actor
        actorKind = recorded.actorKind
        reason = recorded.reason
        let decoded = try? CertificationEvent.decode(recorded)
        event = decoded
        summary = decoded?.summary ?? recorded.type
    }
}

/// Who set one lumisection of one component to its status, and every earlier decision about it.
public struct FlagProvenance: Sendable, Hashable {
    /// The dataset.
    public var dataset: DatasetKey
    /// The component.
    public var component: String
    /// The lumisection.
    public var lumisection: Int
    /// The log sequence the answer is valid at.
    public var asOf: UInt64
    /// The effective flag (nil: never flagged).
    public var current: Flag?
    /// The decision that set the effective flag.
    public var decidedBy: AuditEntry?
    /// Whether the effective flag is a manual override of automatic ones.
    public var isManualOverride: Bool
    /// Every decision about this lumisection and component, oldest first (flags and releases).
    public var chain: [AuditEntry]
}

/// A change of one component's effective flags between two versions of a dataset.
public struct FlagChange: Sendable, Hashable {
    /// The component.
    public var component: String
    /// The lumisections that changed the same way.
    public var range: LumisectionRange
    /// The flag before (nil: none).
    public var before: Flag?
    /// The flag after (nil: none).
    public var after: Flag?

    /// Creates a change.
    public init(component: String, range: LumisectionRange, before: Flag?, after: Flag?) {
        self.component = component
        self.range = range
        self.before = before
        self.after = after
    }
}

/// What changed in a dataset between two log sequences.
public struct DatasetDiff: Sendable, Hashable {
    /// The dataset.
    public var dataset: DatasetKey
    /// The earlier sequence.
    public var from: UInt64
    /// The later sequence.
    public var to: UInt64
    /// Flag changes, by component and range.
    public var flagChanges: [FlagChange]
    /// Workspace states that changed: workspace → (before, after).
    public var stateChanges: [String: (String, String)]
    /// The dataset's events in (from, to].
    public var events: [AuditEntry]

    public static func == (a: DatasetDiff, b: DatasetDiff) -> Bool {
        a.dataset == b.dataset && a.from == b.from && a.to == b.to && a.flagChanges == b.flagChanges
            && a.events == b.events && a.stateChanges.mapValues { [$0.0, $0.1] } == b.stateChanges.mapValues { [$0.0, $0.1] }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(dataset)
        hasher.combine(from)
        hasher.combine(to)
        hasher.combine(flagChanges)
    }
}

/// Audit questions answered from the log's stream, actor and time indexes.
public struct AuditQueries: Sendable {
    /// The log.
    public let log: EventLog

    /// Creates the queries over `log`.
    public init(log: EventLog) {
        self.log = log
    }

    /// The events of a stream up to `asOf` (the head when nil), oldest first.
    public func streamHistory(_ stream: StreamName, asOf: UInt64? = nil) throws -> [AuditEntry] {
        try log.read { s in
            let limit = try asOf ?? s.head.sequence
            return try s.streamEvents(stream.id).filter { $0.sequence <= limit }.map(AuditEntry.init)
        }
    }

    /// A run's history (its own stream), or one dataset's history filtered by component and LS.
    public func history(
        run: Int, dataset: String? = nil, component: String? = nil, lumisection: Int? = nil, asOf: UInt64? = nil
    ) throws -> [AuditEntry] {
        guard let dataset else { return try streamHistory(.run(run), asOf: asOf) }
        let entries = try streamHistory(.dataset(run: run, name: dataset), asOf: asOf)
        guard component != nil || lumisection != nil else { return entries }
        return entries.filter { entry in
            switch entry.event {
            case .lumisectionFlagsSet(_, let c, let range, _, _), .manualOverrideReleased(_, let c, let range):
                return (component == nil || c == component) && (lumisection == nil || range.contains(lumisection!))
            case .omsLumisectionBitsSet(_, let range, _, _), .omsLuminositySet(_, let range, _, _),
                .prescaleSet(_, let range, _, _):
                return component == nil && (lumisection == nil || range.contains(lumisection!))
            default:
                return false
            }
        }
    }

    /// Who set `component` of lumisection `ls` of the dataset to its status, when and why, with
    /// the chain of earlier decisions (a manual flag overrides automatic ones until released).
    public func provenance(
        run: Int, dataset: String, component: String, lumisection ls: Int, asOf: UInt64? = nil
    ) throws -> FlagProvenance {
        let entries = try history(run: run, dataset: dataset, component: component, lumisection: ls, asOf: asOf)
        var manual: AuditEntry?
        var automatic: AuditEntry?
        var manualFlag: Flag?
        var automaticFlag: Flag?
        for entry in entries {
            switch entry.event {
            case .lumisectionFlagsSet(_, _, _, let flag, _):
                if entry.actorKind == .human {
                    manual = entry
                    manualFlag = flag
                } else {
                    automatic = entry
                    automaticFlag = flag
                }
            case .manualOverrideReleased:
                manual = nil
                manualFlag = nil
            default:
                break
            }
        }
        let head = try asOf ?? log.head().sequence
        return FlagProvenance(
            dataset: DatasetKey(run: run, name: dataset), component: component, lumisection: ls, asOf: head,
            current: manualFlag ?? automaticFlag, decidedBy: manual ?? automatic,
            isManualOverride: manual != nil && automatic != nil, chain: entries)
    }

    /// Everything `actor` did between `since` and `until` (inclusive), oldest first, at most `limit`.
    public func activity(
        actor: String, since: LedgerTimestamp? = nil, until: LedgerTimestamp? = nil, limit: Int = 10_000
    ) throws -> [AuditEntry] {
        try log.read { s in
            let first = try since.map { try s.sequence(atOrBefore: LedgerTimestamp(microseconds: $0.microseconds - 1)) + 1 } ?? 1
            let last = try until.map { try s.sequence(atOrBefore: $0) } ?? s.head.sequence
            guard first <= last else { return [] }
            return try s.actorEvents(actor, in: first...last, limit: limit).map(AuditEntry.init)
        }
    }

    /// What changed in a dataset between sequences `from` and `to`: flags, states and the events.
    public func diff(run: Int, dataset: String, from: UInt64, to: UInt64) throws -> DatasetDiff {
        let key = DatasetKey(run: run, name: dataset)
        let recorded = try log.read { try $0.streamEvents(key.stream.id) }
        var before = DatasetAggregate(key: key)
        var after = DatasetAggregate(key: key)
        for e in recorded {
            if e.sequence <= from { try before.apply(e) }
            if e.sequence <= to { try after.apply(e) }
        }
        var changes: [FlagChange] = []
        let components = Set(before.flags.components).union(after.flags.components).sorted()
        for component in components {
            let a = before.flags.flags(component: component)
            let b = after.flags.flags(component: component)
            let last = max(a.segments.last?.range.last ?? 0, b.segments.last?.range.last ?? 0)
            guard last > 0 else { continue }
            var ls = 1
            while ls <= last {
                let x = a.value(at: ls)
                let y = b.value(at: ls)
                var end = ls
                while end + 1 <= last && a.value(at: end + 1) == x && b.value(at: end + 1) == y { end += 1 }
                if x != y { changes.append(FlagChange(component: component, range: try LumisectionRange(ls, end), before: x, after: y)) }
                ls = end + 1
            }
        }
        var states: [String: (String, String)] = [:]
        if before.globalState != after.globalState || before.exists != after.exists {
            states["global"] = (before.exists ? before.globalState.rawValue : "(absent)", after.globalState.rawValue)
        }
        for ws in Set(before.workspaceStates.keys).union(after.workspaceStates.keys) {
            let x = before.workspaceStates[ws]?.rawValue ?? "(absent)"
            let y = after.workspaceStates[ws]?.rawValue ?? "(absent)"
            if x != y { states[ws] = (x, y) }
        }
        let events = recorded.filter { $0.sequence > from && $0.sequence <= to }.map(AuditEntry.init)
        return DatasetDiff(dataset: key, from: from, to: to, flagChanges: changes, stateChanges: states, events: events)
    }
}
