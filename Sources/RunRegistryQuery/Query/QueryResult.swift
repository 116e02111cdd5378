/// One page of a list query's answer: the total match count, the page count and the page's rows.
///
/// A route answers `{"runs": items, "pages": pages, "count": count}` (or `"datasets"`), in that key order.
public struct QueryResult<Document> {
    /// The number of rows matching the filter, across all pages.
    public let count: Int
    /// `ceil(count / page_size)`, 0 when nothing matched.
    public let pages: Int
    /// The rows of the requested page, in order.
    public let items: [Document]

    /// Creates a result.
    public init(count: Int, pages: Int, items: [Document]) {
        self.count = count
        self.pages = pages
        self.items = items
    }
}

extension QueryResult: Sendable where Document: Sendable {}
