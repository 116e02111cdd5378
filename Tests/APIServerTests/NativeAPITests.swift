import HTTPTypes
import LedgerStorage
@testable import APIServer
import Projections
import Certification
import Foundation
import Hummingbird
import HummingbirdTesting
import Rules
import Testing

@Suite("Native API")
struct NativeAPITests {
    @Test func readsAnswerTheVersionAsFieldAndHeader() async throws {
        let fixture = try await ServerFixture.make()
        let head = fixture.head
        try await fixture.test { client in
            let list = try await client.call(.get, "/v1/runs?limit=5")
            #expect(list.status == .ok)
            let runs = list.json["runs"]?.arrayValue ?? []
            #expect(runs.count == 5)
            let sequence = list.json["sequence"]?.numberValue
            #expect(sequence == Double(head))
            #expect(list.headers[JSONResponses.sequenceHeader] == String(head))
            let run = Int(runs[0]["run_number"]?.numberValue ?? 0)
            let one = try await client.call(.get, "/v1/runs/\(run)")
            #expect(one.status == .ok)
            #expect(one.json["run"]?["run_number"]?.numberValue == Double(run))
            // Before the run existed it is a 404 that names the version.
            let early = try await client.call(.get, "/v1/runs/\(run)?as_of=1")
            #expect(early.status == .notFound)
            #expect(early.json["message"]?.stringValue?.contains("version 1") == true)
            // A version beyond the head is a clear error.
            let future = try await client.call(.get, "/v1/runs/\(run)?as_of=\(head + 100)")
            #expect(future.status == .notFound)
            #expect(future.json["error"]?.stringValue == "version_not_found")
        }
    }

    @Test func asOfReadsReturnWhatTheViewHeldThen() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            let before = try await client.call(.get, "/v1/runs/\(run)/ranges?component=cms-cms")
            let beforeSequence = Int(try #require(before.json["sequence"]?.numberValue))
            let write = try await client.call(
                .post, "/v1/datasets/\(run)/set-flags",
                json: #"{"dataset":"online","component":"cms-cms","start":1,"end":2,"status":"BAD","comment":"test beam loss","cause":"beam"}"#,
                as: "shifter@demo", headers: ["egroups": "cms-dqm-runregistry-online-shifters"])
            #expect(write.status == .ok, "\(write.text)")
            let after = Int(try #require(write.json["sequence"]?.numberValue))
            let now = try await client.call(.get, "/v1/runs/\(run)/ranges?component=cms-cms&as_of=\(after)")
            let first = now.json["components"]?["cms-cms"]?[0]
            #expect(first?["status"]?.stringValue == "BAD")
            #expect(first?["start"]?.numberValue == 1)
            #expect(first?["end"]?.numberValue == 2)
            #expect(first?["sequence"]?.numberValue == Double(after))
            let then = try await client.call(.get, "/v1/runs/\(run)/ranges?component=cms-cms&as_of=\(beforeSequence)")
            #expect(then.json["components"] == before.json["components"])
        }
    }

    @Test func cachedAnswersAreTheAnswersOfTheirVersionAndAWriteMovesOn() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            let first = try await client.call(.get, "/v1/runs/\(run)/ranges?dataset=online")
            let again = try await client.call(.get, "/v1/runs/\(run)/ranges?dataset=online")
            #expect(first.text == again.text)
            let sequence = Int(try #require(first.json["sequence"]?.numberValue))
            let pinned = try await client.call(.get, "/v1/runs/\(run)/ranges?dataset=online&as_of=\(sequence)")
            #expect(pinned.text == first.text, "the latest answer and the same version asked by number are one answer")
            let write = try await client.call(
                .post, "/v1/datasets/\(run)/set-flags",
                json: #"{"dataset":"online","component":"cms-cms","start":1,"end":3,"status":"BAD","comment":"cache check","cause":"beam"}"#,
                as: "shifter@demo", headers: ["egroups": "cms-dqm-runregistry-online-shifters"])
            #expect(write.status == .ok)
            let after = try await client.call(.get, "/v1/runs/\(run)/ranges?dataset=online")
            #expect(after.text != first.text)
            #expect(after.json["components"]?["cms-cms"]?[0]?["status"]?.stringValue == "BAD")
            let old = try await client.call(.get, "/v1/runs/\(run)/ranges?dataset=online&as_of=\(sequence)")
            #expect(old.text == first.text)
            let missing = try await client.call(.get, "/v1/runs/\(run)/ranges?dataset=nothing")
            #expect(missing.status == .notFound)
            #expect(fixture.api.answers.count >= 3)
        }
    }

    @Test func writesNeedAnIdentityAndAPermission() async throws {
        let fixture = try await ServerFixture.make()
        let head = fixture.head
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            let body = #"{"dataset":"online","component":"ecal-ecal","start":1,"end":1,"status":"GOOD"}"#
            let anonymous = try await client.call(.post, "/v1/datasets/\(run)/set-flags", json: body)
            #expect(anonymous.status == .unauthorized)
            let viewer = try await client.call(
                .post, "/v1/datasets/\(run)/set-flags", json: body, as: "viewer@demo", headers: ["egroups": "cms-nobody"])
            #expect(viewer.status == .forbidden)
            #expect(viewer.json["message"]?.stringValue?.hasPrefix("User needs to be part of any of the following e-groups") == true)
            #expect(fixture.head == head)
            let shifter = try await client.call(
                .post, "/v1/datasets/\(run)/set-flags", json: body, as: "shifter@demo",
                headers: ["egroups": "cms-dqm-runregistry-online-shifters"])
            #expect(shifter.status == .ok)
            // The actor recorded is the authenticated identity.
            let events = try await client.call(.get, "/v1/streams/events?stream=dataset/\(run)/online&from_version=1&limit=10000")
            #expect(events.json["events"]?.arrayValue?.last?["actor"]?.stringValue == "shifter@demo")
        }
    }

    @Test func expectedVersionMismatchAnswers409WithTheCurrentVersion() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            let ok = try await client.call(.post, "/v1/runs/\(run)/add-comment", json: #"{"comment":"first"}"#, as: "expert@demo",
                headers: ["egroups": "cms-dqm-runregistry-experts"])
            #expect(ok.status == .ok)
            let version = Int(try #require(ok.json["stream_version"]?.numberValue))
            let stale = try await client.call(
                .post, "/v1/runs/\(run)/add-comment", json: #"{"comment":"second","expected_version":\#(version - 1)}"#,
                as: "expert@demo", headers: ["egroups": "cms-dqm-runregistry-experts"])
            #expect(stale.status == .conflict)
            #expect(stale.json["current_version"]?.numberValue == Double(version))
            let fresh = try await client.call(
                .post, "/v1/runs/\(run)/add-comment", json: #"{"comment":"second","expected_version":\#(version)}"#,
                as: "expert@demo", headers: ["egroups": "cms-dqm-runregistry-experts"])
            #expect(fresh.status == .ok)
            #expect(fresh.json["stream_version"]?.numberValue == Double(version + 1))
        }
    }

    @Test func idempotencyKeyRetryAppendsNothingNew() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            let headers = ["egroups": "cms-dqm-runregistry-experts", "Idempotency-Key": "retry-\(run)"]
            let first = try await client.call(.post, "/v1/runs/\(run)/add-comment", json: #"{"comment":"once"}"#, as: "expert@demo", headers: headers)
            #expect(first.status == .ok)
            let head = fixture.head
            let second = try await client.call(.post, "/v1/runs/\(run)/add-comment", json: #"{"comment":"once"}"#, as: "expert@demo", headers: headers)
            #expect(second.status == .ok)
            #expect(second.json["duplicate"] == .bool(true))
            #expect(second.json["sequence"] == first.json["sequence"])
            #expect(fixture.head == head)
        }
    }

    @Test func domainRefusalsAnswer422WithTheDomainMessage() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            let head = fixture.head
            let bad = try await client.call(
                .post, "/v1/datasets/\(run)/set-flags",
                json: #"{"dataset":"online","component":"cms-cms","start":1,"end":1,"status":"BAD"}"#, as: "expert@demo",
                headers: ["egroups": "cms-dqm-runregistry-experts"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.json["message"]?.stringValue?.lowercased().contains("comment") == true)
            #expect(fixture.head == head)
        }
    }

    @Test func goldenJSONOfADefinitionIsServedSynchronously() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let answer = try await client.call(.get, "/v1/golden?projection=dcs-only")
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.json["chain_hash"]?.stringValue?.count == 64)
            let json = try await client.call(.get, "/v1/golden?projection=dcs-only&format=json")
            #expect(json.status == .ok)
            #expect(try JSONValue.parse(Array(json.body.readableBytesView)) == answer.json["json"])
            let unknown = try await client.call(.get, "/v1/golden?projection=nope")
            #expect(unknown.status == .notFound)
        }
    }

    @Test func healthAndMetricsReportProjectionLag() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let health = try await client.call(.get, "/health")
            #expect(health.status == .ok)
            #expect(health.json["projections"]?[0]?["lag"]?.numberValue != nil)
            _ = try await client.call(.get, "/v1/runs?limit=1")
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.text.contains("runledger_http_requests_total{method=\"GET\",route=\"/v1/runs\",status=\"200\"}"))
            #expect(metrics.text.contains("runledger_projection_lag_events{projection="))
            #expect(metrics.text.contains("runledger_append_batch_events_bucket"))
        }
    }

    @Test func unknownRoutesAnswerJSON404() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let native = try await client.call(.get, "/v1/nothing")
            #expect(native.status == .notFound)
            #expect(native.json["error"]?.stringValue == "not_found")
            let rr = try await client.call(.post, "/no_such_route")
            #expect(rr.status == .notFound)
            #expect(rr.json["err"] != nil)
        }
    }
}

@Suite("Live feed")
struct LiveFeedTests {
    @Test func feedStreamsEventsFromASequenceAndThenNewOnes() async throws {
        let fixture = try await ServerFixture.make()
        let head = fixture.head
        try await fixture.test { client in
            let past = try await client.call(.get, "/v1/feed?from=\(head - 2)&limit=3")
            #expect(past.headers[.contentType] == "text/event-stream")
            let ids = past.text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
            #expect(ids == ["\(head - 2)", "\(head - 1)", "\(head)"])
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            // The test client has one connection, so the write goes in through the API object meanwhile.
            let api = fixture.api
            let writer = Task {
                try await Task.sleep(for: .milliseconds(300))
                return try await api.perform(
                    [.run(run, .addComment("seen live"))], actor: "expert@demo", reason: nil, expectedVersion: nil,
                    idempotencyKey: nil)
            }
            let answer = try await client.call(.get, "/v1/feed?limit=1&stream_prefix=run/")
            let outcome = try await writer.value
            #expect(answer.text.contains("id: \(outcome.sequence)"))
            #expect(answer.text.contains("seen live"))
        }
    }
}

@Suite("Retention")
struct RetentionTests {
    @Test func pruningKeepsAnswersFromTheFloorOnAndRefusesEarlierVersions() async throws {
        let fixture = try await ServerFixture.make()
        let head = fixture.head
        let floor = head / 2
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?limit=3").json["runs"]?.arrayValue ?? []
            let numbers = runs.compactMap { $0["run_number"]?.numberValue }.map { Int($0) }
            var before: [String: JSONValue] = [:]
            for run in numbers {
                for version in [floor, floor + 7, head] {
                    before["\(run)@\(version)"] = try await client.call(.get, "/v1/runs/\(run)/ranges?as_of=\(version)").json
                }
            }
            let deleted = try ViewRetention.prune(
                fixture.api.runtime.store, namespaces: [fixture.api.runtime.readNamespace], before: floor)
            #expect(deleted > 0)
            for (key, answer) in before {
                let parts = key.split(separator: "@")
                let after = try await client.call(.get, "/v1/runs/\(parts[0])/ranges?as_of=\(parts[1])").json
                #expect(after == answer, "\(key)")
            }
            let refused = try await client.call(.get, "/v1/runs/\(numbers[0])?as_of=\(floor - 1)")
            #expect(refused.status == .gone)
            #expect(refused.json["message"]?.stringValue?.contains("retention floor \(floor)") == true)
        }
    }
}
