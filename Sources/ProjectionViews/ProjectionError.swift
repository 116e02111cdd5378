public import Certification

/// Why the certification projection could not apply an event, or could not read a stored row.
///
/// An error with code ``Code-swift.enum/undecodableEvent`` or ``Code-swift.enum/inconsistentEvent``
/// marks a poison event: the runtime should stop (or dead-letter it) rather than skip it silently.
/// Messages name the event's sequence, type and entities; they never include payload bytes.
public struct ProjectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The event's type is unknown, its schema version unsupported or its payload malformed.
        case undecodableEvent
        /// The event decodes but contradicts the views: a dataset of a missing run, flags of a missing
        /// dataset, a run number outside the key range, non-finite luminosity, and the like.
        case inconsistentEvent
        /// A stored row's bytes do not decode as its view's value.
        case corruptRow
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence for people: which event or row, and what was wrong.
    public let message: String
    /// The sequence of the event being applied; nil when decoding a row outside `apply`.
    public let sequence: UInt64?
    /// The domain's decoding error, for ``Code-swift.enum/undecodableEvent``.
    public let cause: CertificationError?

    /// Creates an error.
    public init(_ code: Code, _ message: String, sequence: UInt64? = nil, cause: CertificationError? = nil) {
        self.code = code
        self.message = message
        self.sequence = sequence
        self.cause = cause
    }

    public var description: String {
        if let sequence { return "\(code.rawValue) at event \(sequence): \(message)" }
        return "\(code.rawValue): \(message)"
    }
}
