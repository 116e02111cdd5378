/// A rejected list query: what is wrong, where in the request it is, and what is allowed.
///
/// `message` is a complete sentence meant for the client, so a route handler can answer
/// `{"err": error.message}` as the Run Registry did. It names the offending key or operator and
/// its location, e.g. `filter["oms_attributes.hlt_kye"]`.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad category of a query error.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A filter key that is not a known column, JSON attribute or triplet key.
        case unknownKey
        /// A `triplet_summary.<component>.<STATUS>` key naming a component the schema does not list.
        case unknownComponent
        /// A `triplet_summary.<component>.<STATUS>` key whose status is not one of the six statuses.
        case unknownStatus
        /// An operator the filter language does not have, or one that does not apply to the key.
        case unknownOperator
        /// A filter, condition or operand of the wrong shape or type.
        case malformedFilter
        /// A `sortings` entry that is not `[key, "ASC"|"DESC"]` or names an unsortable key.
        case invalidSorting
        /// A `page` or `page_size` that is not an integer in the allowed range.
        case invalidPaging
    }

    /// The category of the error.
    public let code: Code
    /// The complete explanation, including the location; suitable for `{"err": message}`.
    public let message: String
    /// The location of the offending part of the request, e.g. `filter.and[0].run_number`.
    public let path: String

    /// Creates an error whose message is `"<problem> at <path>"` followed by `hint` when given.
    public init(_ code: Code, _ problem: String, at path: RequestPath, hint: String? = nil) {
        self.code = code
        self.path = path.description
        var text = "\(problem) at \(path)"
        if let hint { text += "; \(hint)" }
        self.message = text
    }

    /// The code and the message, e.g. `unknownKey: unknown filter attribute "x" at filter.x; ...`.
    public var description: String { "\(code.rawValue): \(message)" }
}
