import HTTPTypes
import LedgerStorage
import APIServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Rules
import Testing

@Suite("Run Registry routes")
struct RunRegistryRoutesTests {
    @Test func runsFilteredOrderedFiltersSortsAndPagesLikeTheRunRegistry() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let native = try await client.call(.get, "/v1/runs?limit=10000").json["runs"]?.arrayValue ?? []
            let all = try await client.call(.post, "/runs_filtered_ordered", json: #"{"page":0,"page_size":5,"filter":{},"sortings":[]}"#)
            #expect(all.status == .ok)
            #expect(all.json.objectValue?.keys == ["runs", "pages", "count"])
            #expect(all.json["count"]?.numberValue == Double(native.count))
            #expect(all.json["pages"]?.numberValue == (Double(native.count) / 5).rounded(.up))
            let page = all.json["runs"]?.arrayValue ?? []
            #expect(page.count == 5)
            // Default order: run_number descending.
            let numbers = page.compactMap { $0["run_number"]?.numberValue }
            #expect(numbers == numbers.sorted(by: >))
            #expect(page.allSatisfy { $0["DatasetTripletCache"]?["triplet_summary"]?.objectValue != nil })
            // A class filter, the client's wire form.
            let someClass = try #require(native.first?["class"]?.stringValue)
            let filtered = try await client.call(
                .post, "/runs_filtered_ordered",
                json: #"{"page":0,"page_size":50,"filter":{"rr_attributes.class":{"=":"\#(someClass)"}},"sortings":[["run_number","ASC"]]}"#)
            let expected = native.filter { $0["class"]?.stringValue == someClass }.count
            #expect(filtered.json["count"]?.numberValue == Double(expected))
            let ascending = (filtered.json["runs"]?.arrayValue ?? []).compactMap { $0["run_number"]?.numberValue }
            #expect(ascending == ascending.sorted())
            // Triplet-summary filter: runs with at least one GOOD cms-cms lumisection.
            let good = try await client.call(
                .post, "/runs_filtered_ordered",
                json: #"{"page":0,"page_size":50,"filter":{"triplet_summary.cms-cms.GOOD":{">":0}},"sortings":[]}"#)
            #expect((good.json["count"]?.numberValue ?? 0) > 0)
            for run in good.json["runs"]?.arrayValue ?? [] {
                #expect((run["DatasetTripletCache"]?["triplet_summary"]?["cms-cms"]?["GOOD"]?.numberValue ?? 0) > 0)
            }
        }
    }

    @Test func unknownFilterAttributesAreErrorsNotEmptyResults() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let answer = try await client.call(
                .post, "/runs_filtered_ordered", json: #"{"page":0,"page_size":50,"filter":{"rr_attributes.colour":{"=":"red"}}}"#)
            #expect(answer.status != .ok)
            #expect(answer.json["err"]?.stringValue?.contains("colour") == true)
            let op = try await client.call(
                .post, "/runs_filtered_ordered", json: #"{"page":0,"page_size":50,"filter":{"run_number":{"~":1}}}"#)
            #expect(op.json["err"]?.stringValue?.contains("~") == true)
        }
    }

    @Test func lumisectionRoutesAgreeWithTheNativeRanges() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            let body = #"{"run_number":\#(run),"dataset_name":"online"}"#
            let perLS = try await client.call(.post, "/lumisections/rr_lumisections", json: body).json.arrayValue ?? []
            let native = try await client.call(.get, "/v1/runs/\(run)/ranges").json
            let count = Int(native["lumisection_count"]?.numberValue ?? 0)
            #expect(perLS.count == count)
            let byComponent = try await client.call(.post, "/lumisections/rr_lumisection_ranges_by_component", json: body).json
            for (component, ranges) in native["components"]?.objectValue ?? [:] {
                for r in ranges.arrayValue ?? [] {
                    let start = Int(r["start"]?.numberValue ?? 0)
                    #expect(perLS[start - 1][component]?["status"] == r["status"])
                }
                let rr = (byComponent[component]?.arrayValue ?? []).filter { $0["status"]?.stringValue != "EMPTY" }
                #expect(rr.map { $0["start"] } == (ranges.arrayValue ?? []).map { $0["start"] })
            }
            let ranges = try await client.call(.post, "/lumisections/rr_lumisection_ranges", json: body).json.arrayValue ?? []
            #expect(ranges.first?["start"]?.numberValue == 1)
            #expect(ranges.last?["end"]?.numberValue == Double(count))
            let oms = try await client.call(.post, "/lumisections/oms_lumisection_ranges", json: body)
            #expect(oms.status == .ok)
            let missing = try await client.call(.post, "/lumisections/rr_lumisections", json: #"{"run_number":1,"dataset_name":"online"}"#)
            #expect(missing.json["err"] != nil)
        }
    }

    @Test func editRRLumisectionsChecksTheEgroupBeforeAnything() async throws {
        let fixture = try await ServerFixture.make()
        let head = fixture.head
        try await fixture.test { client in
            let answer = try await client.call(
                .put, "/lumisections/edit_rr_lumisections",
                json: #"{"new_lumisection_range":{"start":0,"end":1,"status":"GOOD"},"run_number":1,"dataset_name":"online","component":"castor-castor"}"#,
                as: "viewer@demo", headers: ["egroups": "cms-nobody"])
            #expect(answer.status == .unauthorized)
            #expect(answer.text.contains("User needs to be part of any of the following e-groups"))
            #expect(fixture.head == head)
        }
    }

    @Test func jsonPortalAnswers200AtTheFirstPoll() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let logic = #"{\"and\":[{\"==\":[{\"var\":\"lumisection.rr.cms-cms\"},\"GOOD\"]}]}"#
            let generated = try await client.call(
                .post, "/json_portal/generate", json: #"{"json_logic":"\#(logic)","dataset_name_filter":"online"}"#)
            #expect(generated.status == .ok, "\(generated.text)")
            let id = Int(try #require(generated.json["id"]?.numberValue))
            let poll = try await client.call(.post, "/json_portal/json", json: #"{"id_json":\#(id)}"#)
            #expect(poll.status == .ok)
            let json = try #require(poll.json["final_json"]?["generated_json"]?.objectValue)
            #expect(!json.isEmpty)
            let none = try await client.call(
                .post, "/json_portal/generate", json: #"{"json_logic":"\#(logic)","dataset_name_filter":"/Nothing/%"}"#)
            #expect(none.json["err"]?.stringValue == "No datasets matched that dataset name")
        }
    }
}
