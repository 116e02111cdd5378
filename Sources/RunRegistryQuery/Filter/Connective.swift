import Rules

/// The grouping keys `and`/`or` (and their upper-case forms) that may appear in filters and conditions.
enum Connective: Sendable {
    /// `and` or `AND`.
    case and
    /// `or` or `OR`.
    case or

    /// The connective a key names, or nil.
    init?(key: String) {
        switch key {
        case "and", "AND": self = .and
        case "or", "OR": self = .or
        default: return nil
        }
    }

    /// The group of `nodes` under this connective.
    func combine(_ nodes: [FilterNode]) -> FilterNode {
        self == .and ? .conjunction(nodes) : .disjunction(nodes)
    }

    /// The items of a group's value: array elements, or each member of an object as a one-key object.
    ///
    /// Sequelize accepts both `{"or": [a, b]}` and `{"or": {"k1": a, "k2": b}}`.
    static func items(
        of value: JSONValue, key: String, what: String, at path: RequestPath
    ) throws(QueryError) -> [(value: JSONValue, path: RequestPath)] {
        switch value {
        case .array(let elements):
            return elements.enumerated().map { (value: $0.element, path: path.appending(index: $0.offset)) }
        case .object(let object):
            return object.map { (value: .object([$0.key: $0.value]), path: path) }
        default:
            throw QueryError(
                .malformedFilter, "\(JSONEscaping.quoted(key)) needs an array of \(what), found \(value.kindName)",
                at: path)
        }
    }
}
