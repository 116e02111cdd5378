/// An error from the event log that a caller can act on: a conflict, a bad batch or a storage fault.
///
/// Messages name what was wrong, where, and what is allowed. They never include payload bytes.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Code: String, Sendable, Hashable {
        /// A stream's version differed from the batch's expectation; nothing was written.
        case conflict
        /// The batch broke a rule of the log (empty, too large, bad stream id, ...).
        case invalidBatch
        /// An idempotency key was reused for a different batch.
        case idempotencyKeyReused
        /// The on-disk data failed a check: corrupt page, bad chain link or undecodable record.
        case corruption
        /// LMDB or zstd failed, or the file system refused.
        case storage
        /// A requested item does not exist.
        case notFound
        /// The log was closed.
        case closed
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence for people: what, where, what is allowed.
    public let message: String
    /// For conflicts: the stream, the expected version and the actual one.
    public let conflict: Conflict?
    /// For corruption: the first sequence that could not be trusted.
    public let sequence: UInt64?

    /// The details of a version conflict.
    public struct Conflict: Sendable, Hashable {
        /// The stream whose version differed.
        public let stream: String
        /// The version the batch expected.
        public let expected: ExpectedVersion
        /// The stream's actual last version (0 when it does not exist).
        public let actual: UInt64

        /// Creates conflict details.
        public init(stream: String, expected: ExpectedVersion, actual: UInt64) {
            self.stream = stream
            self.expected = expected
            self.actual = actual
        }
    }

    /// Creates an error.
    public init(_ code: Code, _ message: String, conflict: Conflict? = nil, sequence: UInt64? = nil) {
        self.code = code
        self.message = message
        self.conflict = conflict
        self.sequence = sequence
    }

    /// A version conflict on `stream`.
    public static func conflict(stream: String, expected: ExpectedVersion, actual: UInt64) -> LedgerError {
        LedgerError(
            .conflict,
            "version conflict on stream '\(stream)': expected \(expected), actual \(actual); nothing was written",
            conflict: Conflict(stream: stream, expected: expected, actual: actual)
        )
    }

    public var description: String { message }
}

/// The limits that every batch must respect, checked before anything is written.
public enum BatchLimits {
    /// The most events one batch may hold.
    public static let maximumEvents = 100_000
    /// The longest stream id in UTF-8 bytes (LMDB keys are at most 511 bytes).
    public static let maximumStreamBytes = 400
    /// The longest actor identity in UTF-8 bytes.
    public static let maximumActorBytes = 256
    /// The longest event type name in UTF-8 bytes.
    public static let maximumTypeBytes = 128
    /// The longest idempotency key in UTF-8 bytes.
    public static let maximumIdempotencyKeyBytes = 256
    /// The longest reason in UTF-8 bytes.
    public static let maximumReasonBytes = 65_536
    /// The largest payload in bytes.
    public static let maximumPayloadBytes = 4 << 20
}

extension AppendBatch {
    /// Checks the batch against ``BatchLimits`` and the stream-id syntax.
    ///
    /// A stream id is `category/rest`: the category is lowercase letters, digits and `-`, starting
    /// with a letter; the rest is non-empty and has no control characters.
    public func validate() throws(LedgerError) {
        try validateEnvelope()
        try validateEvents(in: events.indices)
    }

    /// Checks the batch-level fields: event count, actor, reason, key, expectations.
    public func validateEnvelope() throws(LedgerError) {
        guard !events.isEmpty else { throw LedgerError(.invalidBatch, "a batch needs at least one event") }
        guard events.count <= BatchLimits.maximumEvents else {
            throw LedgerError(
                .invalidBatch, "a batch holds \(events.count) events; at most \(BatchLimits.maximumEvents) are allowed")
        }
        try Self.checkText(actor, "actor", max: BatchLimits.maximumActorBytes, allowEmpty: false)
        try Self.checkText(reason, "reason", max: BatchLimits.maximumReasonBytes, allowEmpty: true, allowNewlines: true)
        if let key = idempotencyKey {
            try Self.checkText(key, "idempotency key", max: BatchLimits.maximumIdempotencyKeyBytes, allowEmpty: false)
        }
        for stream in expectations.keys {
            try Self.checkStreamID(stream, where: "expected version")
        }
    }

    /// Checks the events at `range`: stream ids, types, reasons and canonical payloads.
    public func validateEvents(in range: Range<Int>) throws(LedgerError) {
        var previousStream: String? = nil
        var previousType: String? = nil
        for index in range {
            let event = events[index]
            if event.stream != previousStream {
                try Self.checkStreamID(event.stream, where: "event \(index)")
                previousStream = event.stream
            }
            if event.type != previousType {
                try Self.checkText(event.type, "event \(index) type", max: BatchLimits.maximumTypeBytes, allowEmpty: false)
                previousType = event.type
            }
            if let r = event.reason {
                try Self.checkText(r, "event \(index) reason", max: BatchLimits.maximumReasonBytes, allowEmpty: true,
                    allowNewlines: true)
            }
            guard event.payload.count <= BatchLimits.maximumPayloadBytes else {
                throw LedgerError(
                    .invalidBatch,
                    "event \(index) payload is \(event.payload.count) bytes; at most \(BatchLimits.maximumPayloadBytes) are allowed"
                )
            }
            if let problem = CanonicalValue.validationProblem(event.payload) {
                throw LedgerError(.invalidBatch, "event \(index) payload is not a canonical value: \(problem)")
            }
        }
    }

    /// Checks one stream id's syntax.
    public static func checkStreamID(_ stream: String, where place: String) throws(LedgerError) {
        var copy = stream
        let problem: String? = copy.withUTF8 { utf8 -> String? in
            guard !utf8.isEmpty, utf8.count <= BatchLimits.maximumStreamBytes else {
                return "stream id must be 1 to \(BatchLimits.maximumStreamBytes) bytes, got \(utf8.count)"
            }
            var slash = -1
            for i in 0..<utf8.count {
                let c = utf8[i]
                if c < 32 || c == 127 { return "stream id must not contain control characters" }
                if slash < 0 {
                    if c == 47 {
                        slash = i
                        continue
                    }
                    let isLower = c >= 97 && c <= 122
                    if !(isLower || (i > 0 && ((c >= 48 && c <= 57) || c == 45))) {
                        return "stream category in '\(stream)' must be lowercase letters, digits and '-', starting with a letter"
                    }
                }
            }
            guard slash > 0, slash < utf8.count - 1 else {
                return "stream id '\(stream)' must look like 'category/name', e.g. 'run/355100'"
            }
            return nil
        }
        if let problem { throw LedgerError(.invalidBatch, "\(place): \(problem)") }
    }

    private static func checkText(
        _ text: String, _ name: String, max: Int, allowEmpty: Bool, allowNewlines: Bool = false
    ) throws(LedgerError) {
        let count = text.utf8.count
        if !allowEmpty && count == 0 { throw LedgerError(.invalidBatch, "\(name) must not be empty") }
        guard count <= max else {
            throw LedgerError(.invalidBatch, "\(name) is \(count) bytes; at most \(max) are allowed")
        }
        var copy = text
        let forbidden = copy.withUTF8 { utf8 in
            utf8.contains { c in (c < 32 && !(allowNewlines && (c == 10 || c == 9 || c == 13))) || c == 127 }
        }
        guard !forbidden else { throw LedgerError(.invalidBatch, "\(name) must not contain control characters") }
    }
}
