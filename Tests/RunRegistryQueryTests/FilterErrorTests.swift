import Rules
import RunRegistryQuery
import Testing

/// Invalid filters are errors that name the key or operator, its location, and what is allowed.
struct FilterErrorTests {
    @Test func unknownTopLevelKeyIsNamedWithTheAllowedForms() throws {
        let error = try #require(try Fixtures.filterError(#"{"hlt_key": {"like": "%x%"}}"#))
        #expect(error.code == .unknownKey)
        #expect(error.path == "filter.hlt_key")
        #expect(
            error.message
                == #"unknown filter attribute "hlt_key" at filter.hlt_key; allowed keys: deleted, run_number, version, "#
                + "oms_attributes.<attribute>, rr_attributes.<attribute>, triplet_summary.<component>.<STATUS>")
    }

    @Test func unknownAttributeOfAKnownJSONColumnListsTheKnownAttributes() throws {
        let error = try #require(try Fixtures.filterError(#"{"rr_attributes.klass": "Collisions18"}"#))
        #expect(error.code == .unknownKey)
        #expect(error.path == #"filter["rr_attributes.klass"]"#)
        #expect(error.message.contains(#"rr_attributes has no attribute "klass""#))
        #expect(
            error.message.contains(
                "allowed: class, run_needs_to_be_updated_manually, short_run, significant, state, stop_reason"))
    }

    @Test func pathOfANestedErrorWalksTheGroups() throws {
        let error = try #require(
            try Fixtures.filterError(#"{"and": [{"run_number": 1}, {"or": [{"oms_attributes.nope": 1}]}]}"#))
        #expect(error.path == #"filter.and[1].or[0]["oms_attributes.nope"]"#)
        #expect(error.message.contains(#"unknown filter attribute "oms_attributes.nope" at filter.and[1].or[0]"#))
    }

    @Test func attributesAreUnrestrictedWhenTheSchemaSaysAny() throws {
        var schema = Fixtures.runSchema
        schema.jsonColumns["oms_attributes"] = .any
        #expect(try Fixtures.filterError(#"{"oms_attributes.brand_new.deep": 1}"#, schema: schema) == nil)
        #expect(try Fixtures.filterError(#"{"oms_attributes.brand_new": 1}"#) != nil)
    }

    @Test func unknownComponentListsTheKnownOnes() throws {
        let error = try #require(try Fixtures.filterError(#"{"triplet_summary.dt-xx.GOOD": {">": 0}}"#))
        #expect(error.code == .unknownComponent)
        #expect(error.message.contains(#"unknown component "dt-xx""#))
        #expect(error.message.contains("known components: csc-csc, dt-dt, ecal-ecal, tracker-pixel, tracker-strip"))
    }

    @Test func unknownStatusListsTheSixStatuses() throws {
        let error = try #require(try Fixtures.filterError(#"{"triplet_summary.dt-dt.good": {">": 0}}"#))
        #expect(error.code == .unknownStatus)
        #expect(error.message.contains(#"unknown status "good""#))
        #expect(error.message.contains("allowed statuses: GOOD, BAD, STANDBY, EXCLUDED, NOTSET, EMPTY"))
    }

    @Test func tripletKeyNeedsComponentAndStatus() throws {
        let error = try #require(try Fixtures.filterError(#"{"triplet_summary.dt-dt": {">": 0}}"#))
        #expect(error.code == .unknownKey)
        #expect(error.message.contains("triplet_summary.<component>.<STATUS>"))
        #expect(try Fixtures.filterError(#"{"triplet_summary.dt-dt.GOOD.x": 1}"#)?.code == .unknownKey)
    }

    @Test func unknownOperatorIsNamedWithTheAllowedOperators() throws {
        let error = try #require(try Fixtures.filterError(#"{"run_number": {"and": [{"gt": 5}]}}"#))
        #expect(error.code == .unknownOperator)
        #expect(error.path == "filter.run_number.and[0].gt")
        #expect(error.message.contains(#"unknown operator "gt" for "run_number""#))
        #expect(
            error.message.contains("allowed operators: =, <>, <, >, <=, >=, like, LIKE, notlike, NOTLIKE, contains"))
    }

    @Test func arrayWhereAConditionIsExpectedIsMalformed() throws {
        let error = try #require(try Fixtures.filterError(#"{"run_number": [1, 2]}"#))
        #expect(error.code == .malformedFilter)
        #expect(error.path == "filter.run_number")
        #expect(error.message.contains("found an array"))
    }

    @Test func likeNeedsAStringPattern() throws {
        let error = try #require(try Fixtures.filterError(#"{"oms_attributes.hlt_key": {"like": 5}}"#))
        #expect(error.code == .malformedFilter)
        #expect(error.path == #"filter["oms_attributes.hlt_key"].like"#)
        #expect(error.message.contains("must be a string pattern, found number"))
    }

    @Test func likePatternEndingInEscapeIsRejected() throws {
        let error = try #require(try Fixtures.filterError(#"{"oms_attributes.hlt_key": {"like": "abc\\"}}"#))
        #expect(error.code == .malformedFilter)
        #expect(error.message.contains("escape character"))
    }

    @Test func likeOnANumberColumnIsRejected() throws {
        let error = try #require(try Fixtures.filterError(#"{"run_number": {"like": "32%"}}"#))
        #expect(error.code == .unknownOperator)
        #expect(error.message.contains("run_number, a number column"))
    }

    @Test func operandsMustFitTheColumnType() throws {
        #expect(
            try Fixtures.filterError(#"{"run_number": "abc"}"#)?.message.contains("run_number is a number column")
                == true)
        #expect(try Fixtures.filterError(#"{"name": 5}"#, schema: Fixtures.datasetSchema)?.code == .malformedFilter)
        #expect(try Fixtures.filterError(#"{"deleted": "maybe"}"#)?.code == .malformedFilter)
        #expect(try Fixtures.filterError(#"{"oms_attributes.energy": {"=": {"a": 1}}}"#)?.code == .malformedFilter)
    }

    @Test func nullOnlyComparesWithEqualsOrNotEquals() throws {
        let error = try #require(try Fixtures.filterError(#"{"run_number": {">": null}}"#))
        #expect(error.code == .malformedFilter)
        #expect(error.message.contains("null can only be compared with = or <>"))
    }

    @Test func containsOnlyAppliesToArrayColumns() throws {
        let onPath = try #require(
            try Fixtures.filterError(
                #"{"dataset_attributes.appeared_in": {"contains": "DBS"}}"#, schema: Fixtures.datasetSchema))
        #expect(onPath.code == .unknownOperator)
        #expect(onPath.message.contains("datasets_in_gui"))
        // The runs route has no datasets_in_gui column at all.
        #expect(try Fixtures.filterError(#"{"datasets_in_gui": {"contains": "x"}}"#)?.code == .unknownKey)
        let ordering = try Fixtures.filterError(#"{"datasets_in_gui": {">": "x"}}"#, schema: Fixtures.datasetSchema)
        #expect(ordering?.code == .unknownOperator)
    }

    @Test func filterMustBeAnObject() throws {
        let error = try #require(try Fixtures.filterError("[1]"))
        #expect(error.code == .malformedFilter)
        #expect(error.path == "filter")
        #expect(try Fixtures.filterError(#"{"and": [5]}"#)?.path == "filter.and[0]")
    }

    @Test func groupsNeedArrays() throws {
        let error = try #require(try Fixtures.filterError(#"{"run_number": {"or": 5}}"#))
        #expect(error.message.contains(#""or" needs an array of conditions, found number"#))
        #expect(try Fixtures.filterError(#"{"and": "x"}"#)?.message.contains("needs an array of filters") == true)
    }

    @Test func emptyConditionObjectIsRejected() throws {
        #expect(try Fixtures.filterError(#"{"run_number": {}}"#)?.message.contains("empty condition") == true)
    }
}
