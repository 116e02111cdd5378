import Rules
import RunRegistryQuery
import Testing

/// Whole requests: parse a body, then filter, order and page rows.
struct ListQueryTests {
    private func runQuery(_ body: String, rows: [JSONDocument] = Fixtures.runs) throws -> QueryResult<JSONDocument> {
        try ListQuery(body: Fixtures.json(body), schema: Fixtures.runSchema).run(on: rows)
    }

    @Test func getRunReturnsExactlyThatRun() throws {
        let result = try runQuery(
            #"{"page": 0, "filter": {"run_number": {"=": 327743}}, "page_size": 50, "sortings": []}"#)
        #expect(result.count == 1)
        #expect(result.pages == 1)
        #expect(result.items.map(Fixtures.runNumber) == [327743])
    }

    @Test func unknownRunGivesZeroCountZeroPagesNoItems() throws {
        let result = try runQuery(#"{"page": 0, "filter": {"run_number": {"=": 1}}, "page_size": 50, "sortings": []}"#)
        #expect(result.count == 0)
        #expect(result.pages == 0)
        #expect(result.items.isEmpty)
    }

    @Test func pagesSliceTheOrderedMatches() throws {
        let body =
            #"{"filter": {"rr_attributes.class": {"like": "%18"}}, "sortings": [["run_number", "ASC"]], "page_size": 2, "page": %d}"#
        func page(_ n: Int) throws -> [Int] {
            let text = body.replacingPercentD(with: n)
            return try runQuery(text).items.map(Fixtures.runNumber)
        }
        #expect(try page(0) == [309500, 309700])
        #expect(try page(1) == [310500, 327743])
        #expect(try page(2) == [])
        let last = try runQuery(body.replacingPercentD(with: 1))
        #expect(last.count == 4)
        #expect(last.pages == 2)
    }

    @Test func lastPageMayBePartial() throws {
        let result = try runQuery(#"{"filter": {}, "page_size": 2, "page": 2}"#)
        #expect(result.count == 5)
        #expect(result.pages == 3)
        #expect(result.items.map(Fixtures.runNumber) == [309500])
    }

    @Test func pageBeyondTheEndIsEmptyButKeepsTheCounts() throws {
        let result = try runQuery(#"{"filter": {}, "page_size": 2, "page": 9}"#)
        #expect(result.count == 5)
        #expect(result.pages == 3)
        #expect(result.items.isEmpty)
    }

    @Test func emptyRowSet() throws {
        let result = try runQuery(#"{"filter": {}}"#, rows: [])
        #expect(result.count == 0)
        #expect(result.pages == 0)
        #expect(result.items.isEmpty)
    }

    @Test func errorsFromAnyMemberSurfaceWithTheirLocation() throws {
        #expect(throws: QueryError.self) { try ListQuery(body: "[]", schema: Fixtures.runSchema) }
        let bodies = [
            #"{"filter": {"x": 1}}"#: "filter.x", #"{"sortings": [["x", "ASC"]]}"#: "sortings[0][0]",
            #"{"page": -2}"#: "page",
        ]
        for (body, path) in bodies {
            let value = try Fixtures.json(body)
            #expect(throws: QueryError.self) { try ListQuery(body: value, schema: Fixtures.runSchema) }
            do {
                _ = try ListQuery(body: value, schema: Fixtures.runSchema)
            } catch {
                #expect(error.path == path)
            }
        }
    }

    @Test func thousandsOfRowsAreFilteredSortedAndPaged() throws {
        let rows = (0..<10_000).map { i in
            Fixtures.run(
                300_000 + i, oms: ["hlt_key": .string(i % 3 == 0 ? "/cdaq/Commissioning/\(i)" : "/cdaq/physics/\(i)")],
                triplets: ["dt-dt": ["GOOD": .number(Double(i % 7)), "EMPTY": 0]])
        }
        let body = #"""
            {"filter": {"oms_attributes.hlt_key": {"like": "%commissioning%"}, "triplet_summary.dt-dt.GOOD": {">": 0}},
             "sortings": [["dt-dt", "DESC"]], "page": 1, "page_size": 100}
            """#
        let result = try runQuery(body, rows: rows)
        let expected = (0..<10_000).filter { $0 % 3 == 0 && $0 % 7 != 0 }
        #expect(result.count == expected.count)
        #expect(result.pages == (expected.count + 99) / 100)
        // GOOD = 6 for i % 7 == 6: highest first, ties by run_number DESC; page 1 continues that run.
        let sixes = expected.filter { $0 % 7 == 6 }.sorted(by: >)
        #expect(result.items.map(Fixtures.runNumber) == sixes[100..<200].map { 300_000 + $0 })
    }
}

extension String {
    /// This text with `%d` replaced by `n` (a tiny stand-in for `String(format:)`).
    fileprivate func replacingPercentD(with n: Int) -> String {
        split(separator: "%d", omittingEmptySubsequences: false).joined(separator: String(n))
    }
}
