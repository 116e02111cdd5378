public import Rules

/// A validated `page` (0-based) and `page_size`: which slice of the ordered rows to return.
///
/// `offset = page_size * page`, `limit = page_size`, and `pages = ceil(count / page_size)`
/// (0 when there are no rows). A page past the end is valid and empty.
public struct QueryPaging: Sendable, Hashable {
    /// The 0-based page number.
    public let page: Int
    /// The number of rows per page.
    public let pageSize: Int

    /// Validates integers: `page >= 0` and `1 <= pageSize <= limits.maximumPageSize`.
    public init(page: Int, pageSize: Int, limits: PagingLimits = PagingLimits()) throws(QueryError) {
        guard page >= 0 else {
            throw QueryError(.invalidPaging, "page must be 0 or more, found \(page)", at: RequestPath("page"))
        }
        guard pageSize >= 1, pageSize <= limits.maximumPageSize else {
            throw QueryError(
                .invalidPaging, "page_size must be between 1 and \(limits.maximumPageSize), found \(pageSize)",
                at: RequestPath("page_size"))
        }
        self.page = page
        self.pageSize = pageSize
    }

    /// Validates the JSON members; absent or null `page` is 0 and absent or null `page_size` is the default.
    public init(page: JSONValue?, pageSize: JSONValue?, limits: PagingLimits = PagingLimits()) throws(QueryError) {
        let pageNumber = try Self.integer(page, name: "page") ?? 0
        let size = try Self.integer(pageSize, name: "page_size") ?? limits.defaultPageSize
        try self.init(page: pageNumber, pageSize: size, limits: limits)
    }

    private static func integer(_ value: JSONValue?, name: String) throws(QueryError) -> Int? {
        switch value {
        case .none, .null?:
            return nil
        case .number(let d)?:
            guard let n = Int(exactly: d) else {
                throw QueryError(
                    .invalidPaging, "\(name) must be an integer, found \(JSONValue.number(d))", at: RequestPath(name))
            }
            return n
        case let other?:
            throw QueryError(
                .invalidPaging, "\(name) must be an integer, found \(other.kindName)", at: RequestPath(name))
        }
    }

    /// The number of rows skipped (`page_size * page`, saturating instead of overflowing).
    public var offset: Int {
        let (product, overflow) = pageSize.multipliedReportingOverflow(by: page)
        return overflow ? Int.max : product
    }

    /// The largest number of rows returned.
    public var limit: Int { pageSize }

    /// The number of pages for `count` rows: `ceil(count / page_size)`, 0 when `count` is 0.
    public func pageCount(forCount count: Int) -> Int {
        guard count > 0 else { return 0 }
        return (count - 1) / pageSize + 1
    }

    /// The positions of this page among `count` ordered rows; empty past the end.
    public func window(forCount count: Int) -> Range<Int> {
        let start = min(offset, count)
        return start..<(start + min(limit, count - start))
    }
}
