public import Rules

/// A validated `sortings` list plus the route's default order: a total, stable order of rows.
///
/// ```swift
/// let sorting = try QuerySorting(JSONValue.parse(#"[["oms_attributes.b_field", "DESC"]]"#), schema: schema)
/// let ordered = sorting.sorted(runs)
/// ```
///
/// Rows are compared by each requested term, then by the schema's ``QuerySchema/defaultSorting``
/// (terms for keys already requested are skipped), then by their position in the input, so equal
/// rows keep their input order. See ``SortValue`` for how values of one key compare: numbers
/// numerically, other values as text, NULLs last for ASC and first for DESC.
///
/// A key containing `-` and no `.` (e.g. `dt-dt`) sorts by the component's summary: by its GOOD
/// count, then BAD, STANDBY, EXCLUDED, NOTSET and EMPTY counts; rows without the component are NULL.
/// `triplet_summary.<component>.<STATUS>` sorts by that one count.
public struct QuerySorting: Sendable, Hashable {
    struct Term: Sendable, Hashable {
        let accessor: ValueAccessor
        let direction: SortTerm.Direction
    }

    /// The terms applied, in order: the requested ones, then the defaults not already requested.
    public let terms: [SortTerm]
    let resolved: [Term]

    /// Parses `[[key, "ASC"|"DESC"], ...]` (direction in any case); nil, JSON null and `[]` mean the defaults only.
    ///
    /// - Throws: ``QueryError`` with code `invalidSorting` (or `unknownKey`/`unknownComponent`) naming the entry.
    public init(_ json: JSONValue?, schema: QuerySchema) throws(QueryError) {
        var requested: [SortTerm] = []
        let root = RequestPath("sortings")
        switch json {
        case .none, .null?:
            break
        case .array(let entries)?:
            for (index, entry) in entries.enumerated() {
                requested.append(try Self.parseEntry(entry, at: root.appending(index: index)))
            }
        case let other?:
            throw QueryError(
                .invalidSorting, "sortings must be an array of [key, direction] pairs, found \(other.kindName)",
                at: root)
        }
        try self.init(requested: requested, schema: schema, path: root)
    }

    /// Validates explicit terms; the schema's defaults follow them.
    public init(_ requested: [SortTerm], schema: QuerySchema) throws(QueryError) {
        try self.init(requested: requested, schema: schema, path: RequestPath("sortings"))
    }

    private init(requested: [SortTerm], schema: QuerySchema, path: RequestPath) throws(QueryError) {
        var terms: [SortTerm] = []
        var resolved: [Term] = []
        for (index, term) in requested.enumerated() {
            let accessor = try schema.resolveSortKey(term.key, at: path.appending(index: index).appending(index: 0))
            terms.append(term)
            resolved.append(Term(accessor: accessor, direction: term.direction))
        }
        for (index, term) in schema.defaultSorting.enumerated() {
            let accessor = try schema.resolveSortKey(
                term.key, at: RequestPath("defaultSorting").appending(index: index))
            guard !resolved.contains(where: { $0.accessor == accessor }) else { continue }
            terms.append(term)
            resolved.append(Term(accessor: accessor, direction: term.direction))
        }
        self.terms = terms
        self.resolved = resolved
    }

    private static func parseEntry(_ entry: JSONValue, at path: RequestPath) throws(QueryError) -> SortTerm {
        guard case .array(let pair) = entry, pair.count == 2 else {
            throw QueryError(
                .invalidSorting, "a sorting must be a [key, direction] pair, found \(JSONEscaping.preview(entry))",
                at: path)
        }
        guard case .string(let key) = pair[0] else {
            throw QueryError(
                .invalidSorting, "a sort key must be a string, found \(pair[0].kindName)", at: path.appending(index: 0))
        }
        guard case .string(let word) = pair[1], let direction = SortTerm.Direction(rawValue: word.uppercased()) else {
            throw QueryError(
                .invalidSorting,
                "invalid sort direction \(JSONEscaping.preview(pair[1])) for \(JSONEscaping.quoted(key))",
                at: path.appending(index: 1), hint: "use \"ASC\" or \"DESC\"")
        }
        return SortTerm(key: key, direction: direction)
    }

    /// The documents in this order.
    ///
    /// - Complexity: O(*n* log *n*) comparisons; each row's sort values are read once.
    public func sorted<Document: QueryDocument>(_ documents: [Document]) -> [Document] {
        order(documents).map { documents[$0] }
    }

    /// The positions of `documents` in this order.
    func order<Document: QueryDocument>(_ documents: [Document]) -> [Int] {
        let columns: [[SortValue]] = resolved.map { term in documents.map { SortValue(term.accessor, of: $0) } }
        let directions = resolved.map(\.direction)
        return documents.indices.sorted { a, b in
            for (column, direction) in zip(columns, directions) {
                let ascending = SortValue.compareAscending(column[a], column[b])
                if ascending != 0 { return direction == .ascending ? ascending < 0 : ascending > 0 }
            }
            return a < b
        }
    }
}
