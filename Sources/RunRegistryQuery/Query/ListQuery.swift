public import Rules

/// A parsed list request (`filter`, `sortings`, `page`, `page_size`) for `runs_filtered_ordered` or `datasets_filtered_ordered`.
///
/// ```swift
/// let schema = QuerySchema.runs(components: onlineComponents)      // once, at start-up
/// let query = try ListQuery(body: try JSONValue.parse(requestBody), schema: schema)
/// let result = query.run(on: runDocuments)
/// // {"runs": result.items..., "pages": result.pages, "count": result.count}
/// ```
///
/// The route still adds what the Run Registry always added: only rows with `deleted == false`,
/// and only rows that have a triplet cache (the INNER JOIN); pass just those rows to ``run(on:)``.
public struct ListQuery: Sendable, Hashable {
    /// The row filter.
    public let filter: QueryFilter
    /// The order, including the schema's defaults.
    public let sorting: QuerySorting
    /// The page to return.
    public let paging: QueryPaging

    /// Creates a query from parsed parts.
    public init(filter: QueryFilter, sorting: QuerySorting, paging: QueryPaging) {
        self.filter = filter
        self.sorting = sorting
        self.paging = paging
    }

    /// Parses a request body `{"filter": ..., "sortings": ..., "page": ..., "page_size": ...}`; other members are ignored.
    ///
    /// - Throws: ``QueryError``; answer `{"err": error.message}`.
    public init(body: JSONValue, schema: QuerySchema, limits: PagingLimits = PagingLimits()) throws(QueryError) {
        guard case .object(let members) = body else {
            throw QueryError(
                .malformedFilter, "the request body must be a JSON object, found \(body.kindName)",
                at: RequestPath("body"))
        }
        try self.init(
            filter: members["filter"], sortings: members["sortings"], page: members["page"],
            pageSize: members["page_size"], schema: schema, limits: limits)
    }

    /// Parses the four request members separately; any may be nil.
    public init(
        filter: JSONValue?, sortings: JSONValue?, page: JSONValue?, pageSize: JSONValue?, schema: QuerySchema,
        limits: PagingLimits = PagingLimits()
    ) throws(QueryError) {
        self.filter = try QueryFilter(filter, schema: schema)
        self.sorting = try QuerySorting(sortings, schema: schema)
        self.paging = try QueryPaging(page: page, pageSize: pageSize, limits: limits)
    }

    /// Filters, orders and pages `documents`.
    ///
    /// - Complexity: one filter evaluation per document, then O(*m* log *m*) for the *m* matches.
    public func run<Document: QueryDocument>(on documents: some Sequence<Document>) -> QueryResult<Document> {
        var matches: [Document] = []
        for document in documents where filter.matches(document) { matches.append(document) }
        let window = paging.window(forCount: matches.count)
        let items: [Document]
        if window.isEmpty {
            items = []
        } else {
            let order = sorting.order(matches)
            items = order[window].map { matches[$0] }
        }
        return QueryResult(count: matches.count, pages: paging.pageCount(forCount: matches.count), items: items)
    }
}
