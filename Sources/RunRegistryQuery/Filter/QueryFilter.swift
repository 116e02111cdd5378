public import Rules

/// A validated, parsed `filter` of a list request, ready to test rows.
///
/// ```swift
/// let filter = try QueryFilter(
///     JSONValue.parse(#"{"run_number": {"and": [{">": 309000}, {"<": 310000}]}, "triplet_summary.dt-dt.GOOD": {">": 0}}"#),
///     schema: .runs(components: ["dt-dt"]))
/// let selected = runs.filter(filter.matches)
/// ```
///
/// Parsing happens once; ``matches(_:)`` walks the typed tree without re-reading the JSON.
/// `description` renders the tree in an SQL-like form, e.g. `(run_number > 309000 AND run_number < 310000)`.
public struct QueryFilter: Sendable, Hashable, CustomStringConvertible {
    let root: FilterNode

    /// Parses a filter; nil, JSON null and `{}` match every row.
    ///
    /// - Throws: ``QueryError`` naming the offending key, operator or operand, its location under
    ///   `filter`, and what is allowed.
    public init(_ json: JSONValue?, schema: QuerySchema) throws(QueryError) {
        guard let json, !json.isNull else {
            root = .all([])
            return
        }
        root = try FilterParser(schema: schema).parseFilter(json, at: RequestPath("filter"))
    }

    /// True when the filter has no conditions and matches every row.
    public var matchesEverything: Bool { root == .all([]) }

    /// Whether `document` satisfies the filter.
    public func matches(_ document: some QueryDocument) -> Bool {
        root.matches(document)
    }

    /// The filter in an SQL-like form, e.g. `(run_number > 309000 AND run_number < 310000)`.
    public var description: String { root.description }
}
