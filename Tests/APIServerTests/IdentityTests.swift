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
