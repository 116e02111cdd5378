/// A lumisection flag: the status, comment and cause triplet of one component.
public struct Flag: Sendable, Hashable, CustomStringConvertible {
    /// The status.
    public var status: LumisectionStatus
    /// The shifter's or classifier's comment; required (3+ characters) for BAD.
    public var comment: String
    /// The cause, e.g. `Hardware`; may be empty.
    public var cause: String

    /// Creates a flag.
    public init(_ status: LumisectionStatus, comment: String = "", cause: String = "") {
        self.status = status
        self.comment = comment
        self.cause = cause
    }

    public var description: String {
        var text = status.rawValue
        if !comment.isEmpty { text += " \"\(comment)\"" }
        if !cause.isEmpty { text += " (cause: \(cause))" }
        return text
    }

    /// The shortest comment BAD accepts, after trimming whitespace.
    public static let minimumBadCommentLength = 3
}
