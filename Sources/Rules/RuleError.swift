/// An error from compiling or evaluating a JsonLogic rule: what went wrong and where in the rule.
///
/// `path` locates the offending node in the rule's JSON, e.g. `$.and[2].==` for the `==`
/// operation that is the third clause of a top-level `and`.
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad category of a rule error.
    public enum Kind: String, Sendable, Hashable {
        /// The rule text is not valid JSON.
        case invalidJSON
        /// The rule's shape is not acceptable (e.g. not an operation object in certification mode).
        case malformedRule
        /// An operation name that the engine does not know.
        case unknownOperation
        /// An operation received the wrong number of arguments (strict arity).
        case arity
        /// A variable outside the allowed namespaces (certification mode).
        case namespace
        /// The rule nests deeper than the configured limit.
        case tooDeep
        /// A failure while evaluating, mirroring a JavaScript exception in json-logic-js.
        case evaluation
    }

    /// The category of the error.
    public let kind: Kind
    /// A human-readable explanation, e.g. "operator '==' takes 2 arguments, got 3".
    public let message: String
    /// The JSON path of the bad node, starting at `$` (the rule itself).
    public let path: String

    public init(_ kind: Kind, _ message: String, path: String) {
        self.kind = kind
        self.message = message
        self.path = path
    }

    public var description: String { "\(path): \(message)" }
}
