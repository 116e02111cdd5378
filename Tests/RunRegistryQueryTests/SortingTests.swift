import Rules
import RunRegistryQuery
import Testing

/// Orders: requested keys, defaults as tie-breakers, NULL placement, component summaries, validation.
struct SortingTests {
    private func order(
        _ sortings: String, schema: QuerySchema = Fixtures.runSchema, rows: [JSONDocument] = Fixtures.runs
    )
        throws -> [Int]
    {
        try QuerySorting(Fixtures.json(sortings), schema: schema).sorted(rows).map(Fixtures.runNumber)
    }

    private func sortingError(_ sortings: String) throws -> QueryError? {
        let value = try Fixtures.json(sortings)
        do {
            _ = try QuerySorting(value, schema: Fixtures.runSchema)
            return nil
        } catch {
            return error
        }
    }

    @Test func emptySortingsUseTheRunDefaultOfRunNumberDescending() throws {
        #expect(try order("[]") == [327743, 323434, 310500, 309700, 309500])
        let sorting = try QuerySorting(nil, schema: Fixtures.runSchema)
        #expect(sorting.terms == [SortTerm(key: "run_number", direction: .descending)])
    }

    @Test func requestedKeyAscending() throws {
        #expect(try order(#"[["run_number", "ASC"]]"#) == [309500, 309700, 310500, 323434, 327743])
    }

    @Test func directionIsCaseInsensitive() throws {
        #expect(try order(#"[["run_number", "asc"]]"#) == [309500, 309700, 310500, 323434, 327743])
    }

    @Test func nullsComeLastAscendingAndFirstDescending() throws {
        // b_field: 3.8, 0.02, absent, 3.0, 3.8. Ties (3.8) fall back to run_number DESC.
        #expect(try order(#"[["oms_attributes.b_field", "ASC"]]"#) == [309700, 323434, 327743, 309500, 310500])
        #expect(try order(#"[["oms_attributes.b_field", "DESC"]]"#) == [310500, 327743, 309500, 323434, 309700])
    }

    @Test func jsonNullSortsAsNull() throws {
        // hlt_key of 323434 is JSON null; text order otherwise.
        #expect(try order(#"[["oms_attributes.hlt_key", "ASC"]]"#) == [309700, 309500, 310500, 327743, 323434])
    }

    @Test func tiesAreBrokenByTheDefaultKeys() throws {
        // Three Collisions18 runs tie on class; run_number DESC orders them.
        #expect(try order(#"[["rr_attributes.class", "ASC"]]"#) == [323434, 327743, 310500, 309500, 309700])
    }

    @Test func laterRequestedKeysBreakTiesBeforeTheDefaults() throws {
        let sortings = #"[["rr_attributes.class", "DESC"], ["run_number", "ASC"]]"#
        #expect(try order(sortings) == [309700, 309500, 310500, 327743, 323434])
    }

    @Test func equalRowsKeepTheirInputOrderWithoutDefaults() throws {
        var schema = Fixtures.runSchema
        schema.defaultSorting = []
        let rows = [
            Fixtures.run(3, rr: ["class": "A"]), Fixtures.run(1, rr: ["class": "A"]),
            Fixtures.run(2, rr: ["class": "A"]),
        ]
        #expect(try order(#"[["rr_attributes.class", "DESC"]]"#, schema: schema, rows: rows) == [3, 1, 2])
    }

    @Test func numbersSortBeforeTextWhenAKeyMixesThem() throws {
        // energy: 6500, "6500", 6500, absent, absent.
        #expect(try order(#"[["oms_attributes.energy", "ASC"]]"#) == [310500, 309500, 309700, 327743, 323434])
    }

    @Test func componentKeySortsBySummaryGoodCountFirst() throws {
        // dt-dt GOOD: 100, none (BAD 10), 5, 1, 1191.
        #expect(try order(#"[["dt-dt", "DESC"]]"#) == [327743, 309500, 310500, 323434, 309700])
        #expect(try order(#"[["dt-dt", "ASC"]]"#) == [309700, 323434, 310500, 309500, 327743])
    }

    @Test func componentWithoutSummaryIsNull() throws {
        // Only 323434 has tracker-pixel.
        #expect(try order(#"[["tracker-pixel", "DESC"]]"#) == [327743, 310500, 309700, 309500, 323434])
        #expect(try order(#"[["tracker-pix", "ASC"]]"#).first == 323434)
    }

    @Test func tripletCountKeySortsByThatCount() throws {
        // dt-dt EMPTY: 0, 0, 3, 0, 0; the zeros fall back to run_number DESC.
        #expect(try order(#"[["triplet_summary.dt-dt.EMPTY", "DESC"]]"#) == [310500, 327743, 323434, 309700, 309500])
    }

    @Test func datasetDefaultsAreRunNumberDescendingThenNameAscending() throws {
        let sorting = try QuerySorting(nil, schema: Fixtures.datasetSchema)
        let labels = sorting.sorted(Fixtures.datasets).map(Fixtures.datasetLabel)
        #expect(
            labels == [
                "327743 /PromptReco/HICosmics18A/DQM", "327743 online", "309650 online",
                "309600 /Express/Cosmics18CRUZET/DQM", "309600 /PromptReco/Cosmics18CRUZET/DQM",
            ])
    }

    @Test func requestingADefaultKeyReplacesItsDefaultTerm() throws {
        let sorting = try QuerySorting(Fixtures.json(#"[["name", "DESC"]]"#), schema: Fixtures.datasetSchema)
        #expect(
            sorting.terms == [
                SortTerm(key: "name", direction: .descending), SortTerm(key: "run_number", direction: .descending),
            ])
    }

    @Test func unknownSortKeyIsAnError() throws {
        let error = try #require(try sortingError(#"[["oms_attributes.nope", "ASC"]]"#))
        #expect(error.code == .unknownKey)
        #expect(error.path == "sortings[0][0]")
        let component = try #require(try sortingError(#"[["dt-xx", "ASC"]]"#))
        #expect(component.code == .unknownComponent)
        #expect(component.message.contains("known components"))
    }

    @Test func invalidDirectionIsAnError() throws {
        let error = try #require(try sortingError(#"[["run_number", "UP"]]"#))
        #expect(error.code == .invalidSorting)
        #expect(error.path == "sortings[0][1]")
        #expect(error.message.contains(#"use "ASC" or "DESC""#))
    }

    @Test func malformedSortingsAreErrors() throws {
        #expect(try sortingError(#"{"run_number": "ASC"}"#)?.code == .invalidSorting)
        #expect(try sortingError(#"[["run_number"]]"#)?.path == "sortings[0]")
        #expect(try sortingError(#"[[5, "ASC"]]"#)?.path == "sortings[0][0]")
    }
}
