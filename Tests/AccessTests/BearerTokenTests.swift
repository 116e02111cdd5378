import Access
import Foundation
import JWTKit
import Testing

/// Bearer tokens: jwt-kit verifies the signature; expiry, issuer, audience and claims are then checked.
struct BearerTokenTests {
    private func resolver(_ jwt: AccessConfiguration.JWT) async throws -> IdentityResolver {
        try await IdentityResolver(configuration: AccessConfiguration(jwt: jwt), bindHost: "0.0.0.0")
    }

    private func request(token: String) -> AccessRequest {
        AccessRequest(headers: ["Authorization": "Bearer \(token)"], peerAddress: "10.1.2.3", bindHost: "0.0.0.0")
    }

    private let hsKey = AccessConfiguration.JWT.Key(kid: "hs", algorithm: .hs256, secret: TestKeys.secret)

    @Test func validHS256TokenGivesTheIdentityOfItsClaims() async throws {
        let token = try await TestKeys.hs256(.valid(groups: .array(["cms-dqm-runregistry-experts", "cms-tracker"])))
        let identity = try await resolver(.init(keys: [hsKey])).resolve(request(token: token))
        #expect(identity?.email == "jane.doe@cern.ch")
        #expect(identity?.egroups == ["cms-dqm-runregistry-experts", "cms-tracker"])
        #expect(identity?.displayName == "Jane Doe")
        #expect(identity?.method == .jwt)
    }

    @Test func groupsGivenAsACommaSeparatedStringAreSplitAndTrimmed() async throws {
        let token = try await TestKeys.hs256(.valid(groups: .text("cms-a, cms-b,,cms-c ")))
        let identity = try await resolver(.init(keys: [hsKey])).resolve(request(token: token))
        #expect(identity?.egroups == ["cms-a", "cms-b", "cms-c"])
    }

    @Test func groupsAreReadFromTheConfiguredClaim() async throws {
        struct Claims: JWTPayload {
            var email: String
            var roles: [String]
            var exp: Double
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: TestKeys.secret), digestAlgorithm: .sha256, kid: "hs")
        let token = try await keys.sign(
            Claims(email: "a@cern.ch", roles: ["r1"], exp: Date().timeIntervalSince1970 + 60), kid: "hs")
        let identity = try await resolver(.init(keys: [hsKey], groupsClaim: "roles")).resolve(request(token: token))
        #expect(identity?.egroups == ["r1"])
    }

    @Test func expiredTokenIsAnAuthenticationFailure() async throws {
        var claims = TestClaims.valid()
        claims.exp = Date().timeIntervalSince1970 - 3600
        let token = try await TestKeys.hs256(claims)
        let error = await #expect(throws: AccessError.self) {
            try await resolver(.init(keys: [hsKey])).resolve(request(token: token))
        }
        #expect(error?.code == .invalidToken)
        #expect(error?.message.contains("expired") == true)
    }

    @Test func expiryWithinTheLeewayIsAccepted() async throws {
        var claims = TestClaims.valid()
        claims.exp = Date().timeIntervalSince1970 - 5
        let token = try await TestKeys.hs256(claims)
        let identity = try await resolver(.init(keys: [hsKey], leewaySeconds: 30)).resolve(request(token: token))
        #expect(identity != nil)
    }

    @Test func tokenWithoutExpiryIsRejected() async throws {
        var claims = TestClaims.valid()
        claims.exp = nil
        let token = try await TestKeys.hs256(claims)
        await #expect(throws: AccessError.self) { try await resolver(.init(keys: [hsKey])).resolve(request(token: token)) }
    }

    @Test func tokenNotValidYetIsRejected() async throws {
        var claims = TestClaims.valid()
        claims.nbf = Date().timeIntervalSince1970 + 3600
        let token = try await TestKeys.hs256(claims)
        let error = await #expect(throws: AccessError.self) {
            try await resolver(.init(keys: [hsKey])).resolve(request(token: token))
        }
        #expect(error?.message.contains("nbf") == true)
    }

    @Test func wrongSignatureIsRejectedAndNeverFallsThroughToHeaders() async throws {
        let token = try await TestKeys.hs256(.valid(), secret: TestKeys.otherSecret)
        var configuration = AccessConfiguration(jwt: .init(keys: [hsKey]))
        configuration.trustedProxy = .init(addresses: [try #require(AddressRange("10.0.0.0/8"))])
        let resolver = try await IdentityResolver(configuration: configuration, bindHost: "0.0.0.0")
        let request = AccessRequest(
            headers: [("Authorization", "Bearer \(token)"), ("email", "jane.doe@cern.ch"), ("egroups", "cms-a")],
            peerAddress: "10.1.2.3", bindHost: "0.0.0.0")
        let error = await #expect(throws: AccessError.self) { try await resolver.resolve(request) }
        #expect(error?.code == .invalidToken)
        #expect(error?.message.contains("signature") == true)
    }

    @Test func wrongIssuerIsRejectedAndTheRightOneAccepted() async throws {
        var claims = TestClaims.valid()
        claims.iss = "https://evil.example"
        let bad = try await TestKeys.hs256(claims)
        claims.iss = "https://auth.cern.ch/auth/realms/cern"
        let good = try await TestKeys.hs256(claims)
        let r = try await resolver(.init(keys: [hsKey], issuer: "https://auth.cern.ch/auth/realms/cern"))
        let error = await #expect(throws: AccessError.self) { try await r.resolve(request(token: bad)) }
        #expect(error?.message.contains("issuer") == true)
        #expect(try await r.resolve(request(token: good))?.email == "jane.doe@cern.ch")
    }

    @Test func audienceMustIncludeTheConfiguredOne() async throws {
        var claims = TestClaims.valid()
        claims.aud = ["other-app"]
        let bad = try await TestKeys.hs256(claims)
        claims.aud = ["other-app", "runledger"]
        let good = try await TestKeys.hs256(claims)
        let r = try await resolver(.init(keys: [hsKey], audience: "runledger"))
        await #expect(throws: AccessError.self) { try await r.resolve(request(token: bad)) }
        #expect(try await r.resolve(request(token: good)) != nil)
    }

    @Test func rs256TokenVerifiesWithAPublicKeyFromPEM() async throws {
        let key = AccessConfiguration.JWT.Key(kid: "rs", algorithm: .rs256, publicKeyPEM: TestKeys.rsaPublicPEM)
        let token = try await TestKeys.rs256(.valid(groups: .array(["cms-a"])))
        let identity = try await resolver(.init(keys: [key])).resolve(request(token: token))
        #expect(identity?.egroups == ["cms-a"])
    }

    @Test func es256TokenVerifiesWithAPublicKeyFromPEMAndAnotherKeyFails() async throws {
        let signing = ES256PrivateKey()
        let key = AccessConfiguration.JWT.Key(
            kid: "ec", algorithm: .es256, publicKeyPEM: signing.publicKey.pemRepresentation)
        let r = try await resolver(.init(keys: [key]))
        #expect(try await r.resolve(request(token: try await TestKeys.es256(.valid(), key: signing)))?.email
            == "jane.doe@cern.ch")
        let forged = try await TestKeys.es256(.valid(), key: ES256PrivateKey())
        await #expect(throws: AccessError.self) { try await r.resolve(request(token: forged)) }
    }

    @Test func tokenWhoseAlgorithmIsNotTheKeysIsRejected() async throws {
        // An HS256 token that names the ES256 key: the key's algorithm decides, never the token's header.
        let signing = ES256PrivateKey()
        let ec = AccessConfiguration.JWT.Key(kid: "ec", algorithm: .es256, publicKeyPEM: signing.publicKey.pemRepresentation)
        let token = try await TestKeys.hs256(.valid(), kid: "ec")
        let error = await #expect(throws: AccessError.self) {
            try await resolver(.init(keys: [ec, hsKey])).resolve(request(token: token))
        }
        #expect(error?.message.contains("algorithm") == true)
    }

    @Test func unknownKeyIdIsRejected() async throws {
        let token = try await TestKeys.hs256(.valid(), kid: "someone-else")
        let error = await #expect(throws: AccessError.self) {
            try await resolver(.init(keys: [hsKey])).resolve(request(token: token))
        }
        #expect(error?.message.contains("unknown key id") == true)
    }

    @Test func garbageBearerTokenIsRejectedWithoutEchoingIt() async throws {
        let error = await #expect(throws: AccessError.self) {
            try await resolver(.init(keys: [hsKey])).resolve(request(token: "not.a-token.secret-bits"))
        }
        #expect(error?.message.contains("secret-bits") == false)
    }

    @Test func bearerTokenIsIgnoredWhenNoKeysAreConfigured() async throws {
        let resolver = try await IdentityResolver(configuration: AccessConfiguration(), bindHost: "0.0.0.0")
        #expect(try await resolver.resolve(request(token: "x.y.z")) == nil)
    }

    @Test func unloadablePublicKeyIsAConfigurationErrorNamingTheField() async throws {
        let key = AccessConfiguration.JWT.Key(
            kid: "rs", algorithm: .rs256, publicKeyPEM: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")
        let error = await #expect(throws: AccessError.self) { try await resolver(.init(keys: [key])) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.hasPrefix("access.jwt.keys[0].public_key_pem") == true)
    }
}
