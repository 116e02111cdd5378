import Rules
import RunRegistryQuery
import Testing

/// `page`/`page_size` validation and the offset, limit and page-count arithmetic.
struct PagingTests {
    private func paging(_ page: JSONValue?, _ size: JSONValue?) throws(QueryError) -> QueryPaging {
        try QueryPaging(page: page, pageSize: size)
    }

    private func pagingError(_ page: JSONValue?, _ size: JSONValue?) -> QueryError? {
        do {
            _ = try paging(page, size)
            return nil
        } catch {
            return error
        }
    }

    @Test func offsetIsPageTimesPageSize() throws {
        let p = try paging(3, 50)
        #expect(p.offset == 150)
        #expect(p.limit == 50)
    }

    @Test func pageCountIsTheCeilingAndZeroForNoRows() throws {
        let p = try paging(0, 2)
        #expect(p.pageCount(forCount: 0) == 0)
        #expect(p.pageCount(forCount: 1) == 1)
        #expect(p.pageCount(forCount: 4) == 2)
        #expect(p.pageCount(forCount: 5) == 3)
    }

    @Test func windowCoversFullPartialAndPastTheEndPages() throws {
        #expect(try paging(0, 2).window(forCount: 5) == 0..<2)
        #expect(try paging(2, 2).window(forCount: 5) == 4..<5)
        #expect(try paging(3, 2).window(forCount: 5) == 5..<5)
        #expect(try paging(0, 50).window(forCount: 0) == 0..<0)
    }

    @Test func absentMembersDefaultToFirstPageOfFifty() throws {
        let p = try paging(nil, .null)
        #expect(p.page == 0)
        #expect(p.pageSize == 50)
    }

    @Test func negativePageIsRejected() throws {
        let error = try #require(pagingError(-1, 50))
        #expect(error.code == .invalidPaging)
        #expect(error.message == "page must be 0 or more, found -1 at page")
    }

    @Test func pageSizeMustBeBetweenOneAndTheMaximum() throws {
        #expect(pagingError(0, 0)?.message == "page_size must be between 1 and 10000, found 0 at page_size")
        #expect(pagingError(0, 10_001)?.code == .invalidPaging)
        #expect(pagingError(0, 10_000) == nil)
        #expect(throws: QueryError.self) {
            try QueryPaging(page: 0, pageSize: 101, limits: PagingLimits(maximumPageSize: 100))
        }
    }

    @Test func nonIntegersAreRejected() throws {
        #expect(pagingError(1.5, 50)?.message == "page must be an integer, found 1.5 at page")
        #expect(pagingError("1", 50)?.message == "page must be an integer, found string at page")
        #expect(pagingError(0, true)?.path == "page_size")
        #expect(pagingError(1e300, 50)?.code == .invalidPaging)
    }

    @Test func hugePageDoesNotOverflow() throws {
        let p = try paging(1e15, 10_000)
        #expect(p.offset == Int.max)
        #expect(p.window(forCount: 7).isEmpty)
    }
}
