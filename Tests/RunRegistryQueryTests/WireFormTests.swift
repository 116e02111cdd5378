import Rules
import RunRegistryQuery
import Testing

/// The wire forms of reference §4.3.1 and the raw filters the client's tests send (§5).
struct WireFormTests {
    @Test func scalarRunNumberWrappedInEqualsSelectsThatRun() throws {
        let filter = try QueryFilter(Fixtures.json(#"{"run_number": {"=": 323434}}"#), schema: Fixtures.runSchema)
        #expect(filter.description == "run_number = 323434")
        #expect(try Fixtures.selectedRuns(#"{"run_number": {"=": 323434}}"#) == [323434])
    }

    @Test func rawScalarIsEquality() throws {
        #expect(try Fixtures.selectedRuns(#"{"run_number": 327743}"#) == [327743])
        #expect(try Fixtures.selectedRuns(#"{"run_number": 1}"#) == [])
    }

    @Test func orListOfEqualitiesSelectsAnyOfThem() throws {
        let text = #"{"run_number": {"or": [{"=": 309500}, {"=": 2}, {"=": 327743}]}}"#
        let filter = try QueryFilter(Fixtures.json(text), schema: Fixtures.runSchema)
        #expect(filter.description == "(run_number = 309500 OR run_number = 2 OR run_number = 327743)")
        #expect(try Fixtures.selectedRuns(text) == [309500, 327743])
    }

    @Test func rangeWithTripletStatusNeedsAtLeastOneLumisectionWithThatStatus() throws {
        let text = #"{"run_number": {"and": [{">": 309000}, {"<": 310000}]}, "triplet_summary.dt-dt.GOOD": {">": 0}}"#
        let filter = try QueryFilter(Fixtures.json(text), schema: Fixtures.runSchema)
        #expect(
            filter.description == "((run_number > 309000 AND run_number < 310000) AND triplet_summary.dt-dt.GOOD > 0)")
        // 309700 is in range but has no GOOD counter at all.
        #expect(try Fixtures.selectedRuns(text) == [309500])
    }

    @Test func rrAttributeClassEquality() throws {
        #expect(
            try Fixtures.selectedRuns(#"{"rr_attributes.class": {"=": "Collisions18"}}"#) == [309500, 310500, 327743])
    }

    @Test func omsHltKeyLikeIsCaseInsensitive() throws {
        let text = #"{"oms_attributes.hlt_key": {"like": "%commissioning2018%"}}"#
        #expect(try Fixtures.selectedRuns(text) == [309500, 309700])
    }

    @Test func clientIgnoreFilterRunQueryFromTheClientTests() throws {
        let text = #"""
            {"run_number": {"and": [{">": 309000}, {"<": 310000}]},
             "oms_attributes.hlt_key": {"like": "%commissioning2018%"},
             "triplet_summary.dt-dt.GOOD": {">": 0}}
            """#
        #expect(try Fixtures.selectedRuns(text) == [309500])
    }

    @Test func clientTrackerStripGoodFilter() throws {
        #expect(try Fixtures.selectedRuns(#"{"triplet_summary.tracker-strip.GOOD": {">": 0}}"#) == [309500])
    }

    @Test func clientIgnoreFilterDatasetQueryWithNestedAndOr() throws {
        let text = #"""
            {"and": [{"run_number": {"and": [{">": 309000}, {"<": 310000}]}}],
             "name": {"and": [{"<>": "online"}]},
             "dataset_attributes.global_state": {"and": [{"or": [{"=": "OPEN"}, {"=": "SIGNOFF"}, {"=": "COMPLETED"}]}]}}
            """#
        let filter = try QueryFilter(Fixtures.json(text), schema: Fixtures.datasetSchema)
        #expect(
            filter.description
                == "((run_number > 309000 AND run_number < 310000) AND name <> 'online' AND "
                + "(dataset_attributes.global_state = 'OPEN' OR dataset_attributes.global_state = 'SIGNOFF' OR "
                + "dataset_attributes.global_state = 'COMPLETED'))")
        #expect(try Fixtures.selectedDatasets(text) == ["309600 /PromptReco/Cosmics18CRUZET/DQM"])
    }

    @Test func clientCustomDatasetFilter() throws {
        let text = #"""
            {"name": {"like": "%/PromptReco/Cosmics18CRUZET%"}, "rr_attributes.class": {"like": "Cosmics18CRUZET"},
             "dataset_attributes.global_state": {"like": "COMPLETED"},
             "triplet_summary.ecal-ecal.EXCLUDED": {">": 0},
             "run_number": {"and": [{">": 309000}, {"<": 310000}]}}
            """#
        #expect(try Fixtures.selectedDatasets(text) == ["309600 /PromptReco/Cosmics18CRUZET/DQM"])
    }

    @Test func datasetFilterWithRawScalarsForRunNumberAndName() throws {
        let text = #"{"run_number": 327743, "name": "/PromptReco/HICosmics18A/DQM"}"#
        #expect(try Fixtures.selectedDatasets(text) == ["327743 /PromptReco/HICosmics18A/DQM"])
        #expect(try Fixtures.selectedDatasets(#"{"run_number": 327743, "name": "/nope/DQM"}"#) == [])
    }

    @Test func datasetTripletFilterSelectsOnlyDatasetsWithThatCounter() throws {
        #expect(
            try Fixtures.selectedDatasets(#"{"triplet_summary.ecal-ecal.GOOD": {">": 0}}"#) == [
                "309600 /Express/Cosmics18CRUZET/DQM"
            ])
    }

    @Test func topLevelOrOfFilters() throws {
        let text = #"{"or": [{"run_number": 309500}, {"rr_attributes.class": "Cosmics18"}, {"run_number": 327743}]}"#
        #expect(try Fixtures.selectedRuns(text) == [309500, 309700, 327743])
    }

    @Test func upperCaseConnectivesAreAccepted() throws {
        let text = #"{"OR": [{"run_number": {"AND": [{">=": 309500}, {"<=": 309700}]}}, {"run_number": 327743}]}"#
        #expect(try Fixtures.selectedRuns(text) == [309500, 309700, 327743])
    }

    @Test func conditionGroupsNestAtAnyDepth() throws {
        let text =
            #"{"run_number": {"or": [{"and": [{">": 309000}, {"or": [{"=": 309500}, {"=": 310500}]}]}, 323434]}}"#
        #expect(try Fixtures.selectedRuns(text) == [309500, 310500, 323434])
    }

    @Test func operatorsInOneObjectAreAnded() throws {
        #expect(try Fixtures.selectedRuns(#"{"run_number": {">": 309500, "<": 323434}}"#) == [309700, 310500])
    }

    @Test func groupGivenAsObjectUsesItsMembers() throws {
        // Sequelize also accepts {"or": {...}}: each member is one alternative.
        #expect(try Fixtures.selectedRuns(#"{"run_number": {"or": {"<": 309600, ">": 327000}}}"#) == [309500, 327743])
    }

    @Test func emptyFilterAndNullFilterMatchEverything() throws {
        #expect(try Fixtures.selectedRuns("{}").count == 5)
        let filter = try QueryFilter(nil, schema: Fixtures.runSchema)
        #expect(filter.matchesEverything)
        #expect(try QueryFilter(.null, schema: Fixtures.runSchema).matchesEverything)
    }

    @Test func emptyGroupsAreDroppedLikeSequelizeDoes() throws {
        #expect(try Fixtures.selectedRuns(#"{"or": [], "run_number": {"and": []}}"#).count == 5)
        #expect(
            try Fixtures.selectedRuns(#"{"run_number": {"or": []}, "rr_attributes.class": "Cosmics18"}"#) == [309700])
    }

    @Test func trackerPixAliasNamesTrackerPixel() throws {
        let filter = try QueryFilter(
            Fixtures.json(#"{"triplet_summary.tracker-pix.GOOD": {">": 0}}"#), schema: Fixtures.runSchema)
        #expect(filter.description == "triplet_summary.tracker-pixel.GOOD > 0")
        #expect(try Fixtures.selectedRuns(#"{"triplet_summary.tracker-pix.GOOD": {">": 0}}"#) == [323434])
    }

    @Test func containsOnDatasetsInGUI() throws {
        let one = #"{"datasets_in_gui": {"contains": "/Cosmics/Run2018A-PromptReco-v2/DQMIO"}}"#
        #expect(try Fixtures.selectedDatasets(one) == ["309600 /PromptReco/Cosmics18CRUZET/DQM"])
        let all = #"{"datasets_in_gui": {"contains": ["/Cosmics/Run2018A-PromptReco-v1/DQMIO", "/x"]}}"#
        #expect(try Fixtures.selectedDatasets(all) == [])
        // Equality on the array column means contains, as the server rewrote it.
        let scalar = #"{"datasets_in_gui": "/Cosmics/HIRun2018A-PromptReco-v1/DQMIO"}"#
        #expect(try Fixtures.selectedDatasets(scalar) == ["327743 /PromptReco/HICosmics18A/DQM"])
    }

    @Test func arrayElementsAreReachableByIndexLikeHashGreaterGreater() throws {
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.components.1": "DT"}"#) == [327743])
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.components.-1": "DT"}"#) == [327743])
        #expect(try Fixtures.selectedRuns(#"{"oms_attributes.components.2": "DT"}"#) == [])
    }
}
