public import Foundation

/// Who made a decision: a person, or an automatic writer such as a classifier or an importer.
public enum ActorKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A person acting through the API, the web UI or the CLI.
    case human = 0
    /// An algorithm, importer or other automatic writer.
    case automatic = 1

    public var description: String { self == .human ? "human" : "automatic" }

    /// Parses `human` or `automatic`.
    public init?(name: String) {
        switch name {
        case "human": self = .human
        case "automatic": self = .automatic
        default: return nil
        }
    }
}

/// An event that a caller proposes to append to one stream.
public struct ProposedEvent: Sendable, Hashable {
    /// The stream to append to, e.g. `run/355100`.
    public var stream: String
    /// The event type name, e.g. `LumisectionFlagsSet`.
    public var type: String
    /// The schema version of the payload layout for this type.
    public var schemaVersion: UInt32
    /// The canonical payload bytes (see ``CanonicalValue``).
    public var payload: [UInt8]
    /// A reason or comment for this event; when nil, the batch's reason is used.
    public var reason: String?

    /// Creates a proposed event.
    public init(stream: String, type: String, schemaVersion: UInt32 = 1, payload: [UInt8], reason: String? = nil) {
        self.stream = stream
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.reason = reason
    }
}

/// What a batch requires of a stream's current version before it may append.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// No check.
    case any
    /// The stream must not exist yet (version 0).
    case noStream
    /// The stream must exist, at any version.
    case streamExists
    /// The stream's last version must be exactly this (0 means it does not exist).
    case exact(UInt64)

    public var description: String {
        switch self {
        case .any: return "any"
        case .noStream: return "no stream"
        case .streamExists: return "stream exists"
        case .exact(let v): return String(v)
        }
    }

    /// Whether a stream whose last version is `actual` satisfies this expectation.
    public func isSatisfied(by actual: UInt64) -> Bool {
        switch self {
        case .any: return true
        case .noStream: return actual == 0
        case .streamExists: return actual > 0
        case .exact(let v): return actual == v
        }
    }
}

/// A batch of events appended atomically: all of them, or none.
///
/// ```swift
/// var batch = AppendBatch(actor: "jane.doe@cern.ch", actorKind: .human, reason: "pixel timing scan")
/// batch.expect("run/355100", .exact(7))
/// batch.events.append(ProposedEvent(stream: "run/355100", type: "RunClassSet", payload: payload))
/// let result = try await log.append(batch)
/// ```
public struct AppendBatch: Sendable, Hashable {
    /// The events, in the order they get sequence numbers.
    public var events: [ProposedEvent]
    /// Expected versions per stream; streams without an entry are not checked.
    public var expectations: [String: ExpectedVersion]
    /// The identity that decided this: an e-mail, a service account or a classifier id.
    public var actor: String
    /// Whether the actor is a person or an automatic writer.
    public var actorKind: ActorKind
    /// Why: the default reason or comment for every event of the batch.
    public var reason: String
    /// Groups the events of one user action across commands and streams.
    public var correlationID: UUID?
    /// The command or event that caused this batch.
    public var causationID: UUID?
    /// A key that makes retries safe: a key seen before returns the original sequences.
    public var idempotencyKey: String?
    /// The recorded-at time; nil means the writer's clock at commit. It may not go backwards.
    public var recordedAt: LedgerTimestamp?

    /// Creates a batch with no events.
    public init(
        actor: String, actorKind: ActorKind, reason: String = "", events: [ProposedEvent] = [],
        correlationID: UUID? = nil, causationID: UUID? = nil, idempotencyKey: String? = nil,
        recordedAt: LedgerTimestamp? = nil
    ) {
        self.events = events
        self.expectations = [:]
        self.actor = actor
        self.actorKind = actorKind
        self.reason = reason
        self.correlationID = correlationID
        self.causationID = causationID
        self.idempotencyKey = idempotencyKey
        self.recordedAt = recordedAt
    }

    /// Sets the expected version of `stream`.
    public mutating func expect(_ stream: String, _ version: ExpectedVersion) {
        expectations[stream] = version
    }
}

/// An event as stored: the envelope the log assigned plus the payload.
public struct RecordedEvent: Sendable, Hashable {
    /// The global sequence, gapless from 1.
    public var sequence: UInt64
    /// The stream id, e.g. `dataset/355100//PromptReco/Collisions2022C/DQM`.
    public var stream: String
    /// The version of the stream after this event, from 1.
    public var streamVersion: UInt64
    /// The event type name.
    public var type: String
    /// The payload's schema version.
    public var schemaVersion: UInt32
    /// The identity that decided this.
    public var actor: String
    /// Whether the actor is a person or an automatic writer.
    public var actorKind: ActorKind
    /// When the log recorded the event.
    public var recordedAt: LedgerTimestamp
    /// Why: the reason or comment.
    public var reason: String
    /// The correlation id of the user action, if any.
    public var correlationID: UUID?
    /// The id of the command or event that caused this one, if any.
    public var causationID: UUID?
    /// The idempotency key of the batch that appended this event, if any.
    public var idempotencyKey: String?
    /// The canonical payload bytes.
    public var payload: [UInt8]

    /// Creates a recorded event.
    public init(
        sequence: UInt64, stream: String, streamVersion: UInt64, type: String, schemaVersion: UInt32,
        actor: String, actorKind: ActorKind, recordedAt: LedgerTimestamp, reason: String,
        correlationID: UUID? = nil, causationID: UUID? = nil, idempotencyKey: String? = nil, payload: [UInt8]
    ) {
        self.sequence = sequence
        self.stream = stream
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.actor = actor
        self.actorKind = actorKind
        self.recordedAt = recordedAt
        self.reason = reason
        self.correlationID = correlationID
        self.causationID = causationID
        self.idempotencyKey = idempotencyKey
        self.payload = payload
    }
}

/// What an append returned: the sequences it was given, and whether it was a retry.
public struct AppendResult: Sendable, Hashable {
    /// The first sequence of the batch.
    public var firstSequence: UInt64
    /// The last sequence of the batch.
    public var lastSequence: UInt64
    /// The stream versions after the batch, per stream it touched.
    public var streamVersions: [String: UInt64]
    /// True when the idempotency key was seen before and nothing was written.
    public var wasDuplicate: Bool

    /// Creates a result.
    public init(firstSequence: UInt64, lastSequence: UInt64, streamVersions: [String: UInt64], wasDuplicate: Bool) {
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.streamVersions = streamVersions
        self.wasDuplicate = wasDuplicate
    }

    /// Every sequence of the batch.
    public var sequences: ClosedRange<UInt64> { firstSequence...lastSequence }
}
