public import LedgerCore

/// A decision-making state built by folding one stream's events: a run, a dataset, a cycle or a configuration set.
///
/// The service layer loads an aggregate by applying its stream's recorded events, calls its
/// `decide` function, and appends the returned events with the aggregate's ``version`` as the
/// expected version of its stream (see ``Swift/Array/expectations(aggregateStream:aggregateVersion:)``).
public protocol CertificationAggregate: Sendable {
    /// The aggregate's stream.
    var stream: StreamName { get }
    /// The stream version after the last applied event; 0 before any.
    var version: UInt64 { get }
    /// Applies one event of this stream; events of other streams are ignored.
    mutating func apply(_ event: CertificationEvent, recordedAt: LedgerTimestamp, actorKind: ActorKind)
    /// Decodes and applies a recorded event of this stream, taking its stream version.
    mutating func apply(_ recorded: RecordedEvent) throws(CertificationError)
}

/// Shared steps of folding recorded events.
enum AggregateFold {
    /// Checks that `recorded` belongs to `stream` and decodes it.
    static func decode(_ recorded: RecordedEvent, for stream: StreamName) throws(CertificationError) -> CertificationEvent {
        guard recorded.stream == stream.id else {
            throw CertificationError(
                .invalidArgument,
                "event \(recorded.sequence) belongs to stream \(recorded.stream), not to \(stream.id)")
        }
        return try CertificationEvent.decode(recorded)
    }
}

/// Shared checks of command text.
enum CommandText {
    /// Checks that a comment has at least one non-blank character.
    static func checkComment(_ text: String, what: String) throws(CertificationError) {
        guard !text.trimmedForValidation.isEmpty else {
            throw CertificationError(.commentRequired, "\(what) needs a non-empty comment")
        }
    }

    /// Checks a single-line value such as a class or stop reason.
    static func checkLine(_ text: String, what: String, allowEmpty: Bool = true) throws(CertificationError) {
        guard !text.containsControlCharacters else {
            throw CertificationError(.invalidArgument, "\(what) must be one line without control characters")
        }
        guard allowEmpty || !text.trimmedForValidation.isEmpty else {
            throw CertificationError(.invalidArgument, "\(what) must not be empty")
        }
    }
}
