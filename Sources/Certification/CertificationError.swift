/// A typed rejection of a certification command or event, with a message a shifter can act on.
///
/// Messages say which run, dataset, workspace or lumisections were involved and what is allowed.
/// They never include payload bytes.
public struct CertificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of rejection.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A value in the command was malformed: a name, a range, a number, a key.
        case invalidArgument
        /// The run, dataset, cycle, workspace or configuration item does not exist.
        case notFound
        /// The run, dataset or cycle exists already.
        case alreadyExists
        /// The run is not OPEN, so it cannot be edited.
        case runNotOpen
        /// The dataset's workspace state does not allow this edit.
        case workspaceNotEditable
        /// A comment is missing or too short (BAD needs at least 3 characters).
        case commentRequired
        /// A move back to an earlier state needs a reason.
        case reasonRequired
        /// A lumisection range reaches past the run's lumisection count, or the count is unknown.
        case lumisectionOutOfRange
        /// The requested state move is not allowed from the current state.
        case invalidTransition
        /// Sign-off was refused: the class is missing or lumisections lack a flag.
        case signOffBlocked
        /// An online dataset cannot be part of a cycle.
        case onlineDatasetInCycle
        /// A cycle would hold more than 1000 datasets.
        case cycleTooLarge
        /// A cycle cannot be completed yet, or it is completed and cannot change.
        case cycleIncomplete
        /// A release was asked for where there is no manual flag.
        case nothingToRelease
        /// Only a person may do this.
        case humanActorRequired
        /// An event type this module does not know.
        case unknownEventType
        /// An event schema version this module cannot read.
        case unsupportedSchemaVersion
        /// An event payload lacks a field or has a field of the wrong type.
        case malformedPayload
    }

    /// What kind of rejection this is.
    public let code: Code
    /// A sentence for people: what, where, what is allowed.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
