/// The page size used when a request gives none, and the largest page size a request may ask for.
public struct PagingLimits: Sendable, Hashable {
    /// The page size when `page_size` is absent; the client's `PAGE_SIZE` is 50.
    public var defaultPageSize: Int
    /// The largest accepted `page_size`.
    public var maximumPageSize: Int

    /// Creates limits; the defaults are 50 and 10,000.
    public init(defaultPageSize: Int = 50, maximumPageSize: Int = 10_000) {
        self.defaultPageSize = defaultPageSize
        self.maximumPageSize = maximumPageSize
    }
}
