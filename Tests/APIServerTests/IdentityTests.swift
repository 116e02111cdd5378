import APIServer
import Access
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import LedgerStorage
import Rules
import Testing

/// Claims of a bearer token signed by the test.
struct BearerClaims: JWTPayload {
    var email: String
    var egroups: [String]
    var exp: Double

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

@Suite("Identity over HTTP")
struct IdentityOverHTTPTests {
    static let secret = "a-server-test-secret-long-enough-for-hs256"

    static func configuration() throws -> AccessConfiguration {
        try AccessConfiguration.decode(
            json: Array(
                #"{"jwt":{"keys":[{"kid":"k1","algorithm":"HS256","secret":"\#(secret)"}]},"trusted_proxy":{"addresses":["127.0.0.1"]}}"#
                    .utf8))
    }

    static func token(email: String, groups: [String], expiresIn: Double = 3600) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: "k1"))
        return try await keys.sign(
            BearerClaims(email: email, egroups: groups, exp: Date().timeIntervalSince1970 + expiresIn), kid: JWKIdentifier(string: "k1"))
    }

    @Test func bearerTokenIdentityIsTheRecordedActorAndABadTokenIs401() async throws {
        let fixture = try await ServerFixture.make(access: try Self.configuration())
        let head = fixture.head
        let good = try await Self.token(email: "jwt.expert@cern.ch", groups: ["cms-dqm-runregistry-experts"])
        let expired = try await Self.token(email: "jwt.expert@cern.ch", groups: ["cms-dqm-runregistry-experts"], expiresIn: -3600)
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            let rejected = try await client.call(
                .post, "/v1/runs/\(run)/add-comment", json: #"{"comment":"x"}"#, headers: ["Authorization": "Bearer \(expired)"])
            #expect(rejected.status == .unauthorized)
            #expect(rejected.json["error"]?.stringValue == "invalid_credentials")
            #expect(fixture.head == head)
            let accepted = try await client.call(
                .post, "/v1/runs/\(run)/add-comment", json: #"{"comment":"signed in with a token"}"#,
                headers: ["Authorization": "Bearer \(good)"])
            #expect(accepted.status == .ok, "\(accepted.text)")
            let events = try await client.call(.get, "/v1/streams/events?stream=run/\(run)&limit=10000")
            #expect(events.json["events"]?.arrayValue?.last?["actor"]?.stringValue == "jwt.expert@cern.ch")
        }
    }

    @Test func proxyHeadersFromTheTrustedAddressAreTheIdentity() async throws {
        let fixture = try await ServerFixture.make(access: try Self.configuration())
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            let shifter = try await client.call(
                .post, "/v1/runs/\(run)/add-comment", json: #"{"comment":"via the proxy"}"#, as: "proxy.user@cern.ch",
                headers: ["egroups": "cms-dqm-runregistry-online-shifters"])
            #expect(shifter.status == .ok, "\(shifter.text)")
            let nobody = try await client.call(
                .post, "/v1/runs/\(run)/move-state", json: #"{"to":"SIGNOFF"}"#, as: "proxy.user@cern.ch",
                headers: ["egroups": "cms-nobody"])
            #expect(nobody.status == .forbidden)
        }
    }
}

@Suite("Permissions over HTTP")
struct PermissionsOverHTTPTests {
    @Test func aPermissionAppendedThroughTheAPITakesEffectAtTheNextRequest() async throws {
        let fixture = try await ServerFixture.make()
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            let headers = ["egroups": "cms-dqm-runregistry-offline-newcomers"]
            let before = try await client.call(
                .post, "/v1/runs/\(run)/add-comment", json: #"{"comment":"hello"}"#, as: "new@cern.ch", headers: headers)
            #expect(before.status == .forbidden)
            let grant = try await client.call(
                .post, "/v1/config/set-permission",
                json: #"{"id":77,"egroup":"cms-dqm-runregistry-offline-newcomers","routes":["comment\\.add"],"reason":"onboarding"}"#,
                as: "expert@demo")
            #expect(grant.status == .ok, "\(grant.text)")
            let after = try await client.call(
                .post, "/v1/runs/\(run)/add-comment", json: #"{"comment":"hello"}"#, as: "new@cern.ch", headers: headers)
            #expect(after.status == .ok)
            let still = try await client.call(
                .post, "/v1/runs/\(run)/set-class", json: #"{"class":"Cosmics24"}"#, as: "new@cern.ch", headers: headers)
            #expect(still.status == .forbidden)
        }
    }

    @Test func closedReadsNeedAnIdentityOnNativeAndRunRegistryRoutes() async throws {
        let fixture = try await ServerFixture.make(
            access: try AccessConfiguration.decode(json: Array(#"{"reads_open":false,"dev_loopback_identity":true}"#.utf8)))
        try await fixture.test { client in
            #expect(try await client.call(.get, "/v1/runs?limit=1").status == .unauthorized)
            let rr = try await client.call(.post, "/runs_filtered_ordered", json: #"{"filter":{}}"#)
            #expect(rr.status == .unauthorized)
            #expect(rr.json["err"] != nil)
            #expect(try await client.call(.get, "/v1/runs?limit=1", as: "viewer@cern.ch").status == .ok)
            #expect(try await client.call(.get, "/health").status == .ok)
        }
    }
}
