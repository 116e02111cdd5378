import Rules
import RunRegistryQuery
import Testing

/// How JSON-path values are cast, and how NULL (absent or JSON null) behaves.
struct CastingAndNullTests {
    @Test func numberOperandCastsStoredTextToDouble() throws {
        // 309700 stores energy as the string "6500".
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.energy": {">": 6000}}"#) == [309500, 309700, 310500])
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.energy": 6500.0}"#) == [309500, 309700, 310500])
    }

    @Test func stringOperandComparesTextEvenForStoredNumbers() throws {
        // Text order: "6500" < "7" although 6500 > 7 numerically.
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.energy": {"<": "7"}}"#) == [309500, 309700, 310500])
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.energy": {"<": 7}}"#) == [])
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.b_field": "3.8"}"#) == [309500, 327743])
    }

    @Test func decimalNumbersCompareNumerically() throws {
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.b_field": {">=": 3.7}}"#) == [309500, 327743])
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.b_field": {"<": 1}}"#) == [309700])
    }

    @Test func booleanOperandCastsStoredTextToBoolean() throws {
        // 310500 stores significant as the string "true".
        #expect(try Fixtures.selectedRuns(#"{"rr_attributes.significant": true}"#) == [309500, 310500, 327743])
        #expect(try Fixtures.selectedRuns(#"{"rr_attributes.significant": {"=": false}}"#) == [309700])
    }

    @Test func uncastableValueMatchesNothingNotEvenNotEqual() throws {
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.hlt_key": {"=": 5}}"#) == [])
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.hlt_key": {"<>": 5}}"#) == [])
        #expect(try Fixtures.selectedRuns(#"{"rr_attributes.class": {"<>": true}}"#) == [])
    }

    @Test func missingAttributeFailsEveryComparisonIncludingNotEqualAndNotLike() throws {
        // 310500 has no b_field.
        let others = [309500, 309700, 323434, 327743]
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.b_field": {"<>": 99}}"#) == others)
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.b_field": {"notlike": "zzz"}}"#) == others)
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.b_field": {"NOTLIKE": "zzz"}}"#) == others)
        #expect(try Fixtures.selectedRuns(#"{"rr_attributes.stop_reason": {"<>": "x"}}"#) == [])
    }

    @Test func jsonNullIsSQLNull() throws {
        // 323434 stores hlt_key as JSON null.
        #expect(try !Fixtures.selectedRuns(#"{"oms_attributes.hlt_key": {"notlike": "%physics%"}}"#).contains(323434))
        #expect(
            try Fixtures.selectedRuns(#"{"oms_attributes.hlt_key": {"notlike": "%physics%"}}"#) == [309700, 327743])
    }

    @Test func equalsNullMeansIsNullAndNotEqualsNullMeansIsNotNull() throws {
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.b_field": null}"#) == [310500])
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.hlt_key": {"=": null}}"#) == [323434])
        #expect(
            try Fixtures.selectedRuns(#"{"oms_attributes.hlt_key": {"<>": null}}"#) == [309500, 309700, 310500, 327743])
    }

    @Test func missingTripletCounterIsNullSoEqualsZeroDoesNotMatch() throws {
        // No run has an explicit BAD counter of 0; an absent counter is NULL, and NULL = 0 is not true.
        #expect(try Fixtures.selectedRuns(#"{"triplet_summary.dt-dt.BAD": {"=": 0}}"#) == [])
        #expect(try Fixtures.selectedRuns(#"{"triplet_summary.dt-dt.BAD": {">": 0}}"#) == [309700])
        #expect(try Fixtures.selectedRuns(#"{"triplet_summary.dt-dt.EMPTY": 0}"#) == [309500, 309700, 323434, 327743])
        #expect(try Fixtures.selectedRuns(#"{"triplet_summary.csc-csc.EMPTY": {">=": 0}}"#) == [])
    }

    @Test func tripletCountComparesNumerically() throws {
        #expect(try Fixtures.selectedRuns(#"{"triplet_summary.dt-dt.GOOD": {">=": 100}}"#) == [309500, 327743])
    }

    @Test func numberColumnAcceptsNumericStringsAndComparesNumerically() throws {
        // Text comparison would put "400000" before "99"; the column is numeric, as in Postgres.
        #expect(try Fixtures.selectedRuns(#"{"run_number": {"<": "310000"}}"#) == [309500, 309700])
        #expect(try Fixtures.selectedRuns(#"{"run_number": "327743"}"#) == [327743])
    }

    @Test func booleanColumnFiltersDeleted() throws {
        let rows = Fixtures.runs + [Fixtures.run(400000, deleted: true)]
        #expect(try Fixtures.selectedRuns(#"{"deleted": true}"#, rows: rows) == [400000])
        #expect(try Fixtures.selectedRuns(#"{"deleted": "false"}"#, rows: rows).count == 5)
    }

    @Test func textComparisonIsOrdinal() throws {
        #expect(
            try Fixtures.selectedRuns(#"{"rr_attributes.class": {">=": "Collisions18", "<": "D"}}"#) == [
                309500, 309700, 310500, 327743,
            ])
        #expect(try Fixtures.selectedRuns(#"{"rr_attributes.class": {"<": "C"}}"#) == [323434])
    }
}
