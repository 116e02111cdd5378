import Access
import Testing

/// Identity headers: believed from the trusted proxy only; the dev loopback identity only on loopback.
struct HeaderIdentityTests {
    private let proxyHeaders: AccessRequest.Headers = [
        ("EMAIL", "jane.doe@cern.ch"), ("egroups", "cms-a,cms-b"), ("DisplayName", "Jane Doe"),
    ]

    private func proxied() throws -> AccessConfiguration {
        AccessConfiguration(
            trustedProxy: .init(addresses: [try #require(AddressRange("10.0.0.0/8")), try #require(AddressRange("::1"))]))
    }

    @Test func proxyHeadersFromATrustedAddressGiveAnIdentity() async throws {
        let resolver = try await IdentityResolver(configuration: try proxied(), bindHost: "0.0.0.0")
        let identity = try await resolver.resolve(
            AccessRequest(headers: proxyHeaders, peerAddress: "10.20.30.40", bindHost: "0.0.0.0"))
        #expect(identity == Identity(email: "jane.doe@cern.ch", egroups: ["cms-a", "cms-b"], displayName: "Jane Doe",
                                     method: .proxy))
        let viaIPv6 = try await resolver.resolve(AccessRequest(headers: proxyHeaders, peerAddress: "[::1]", bindHost: "::"))
        #expect(viaIPv6?.method == .proxy)
    }

    @Test func proxyHeadersFromAnUntrustedAddressAreNeverAnIdentity() async throws {
        let resolver = try await IdentityResolver(configuration: try proxied(), bindHost: "0.0.0.0")
        for peer in ["192.168.1.1", "11.0.0.1", "::2", "not-an-address", ""] {
            let identity = try await resolver.resolve(
                AccessRequest(headers: proxyHeaders, peerAddress: peer, bindHost: "0.0.0.0"))
            #expect(identity == nil, "peer \(peer)")
        }
        #expect(try await resolver.resolve(AccessRequest(headers: proxyHeaders, peerAddress: nil, bindHost: "0.0.0.0")) == nil)
    }

    @Test func identityHeadersAreIgnoredWithoutATrustedProxyEvenFromLoopback() async throws {
        let resolver = try await IdentityResolver(configuration: AccessConfiguration(), bindHost: "127.0.0.1")
        #expect(try await resolver.resolve(
            AccessRequest(headers: proxyHeaders, peerAddress: "127.0.0.1", bindHost: "127.0.0.1")) == nil)
    }

    @Test func repeatedEmailHeaderFromTheProxyIsNotAnIdentity() async throws {
        let resolver = try await IdentityResolver(configuration: try proxied(), bindHost: "0.0.0.0")
        let headers: AccessRequest.Headers = [("email", "a@cern.ch"), ("email", "b@cern.ch")]
        #expect(try await resolver.resolve(AccessRequest(headers: headers, peerAddress: "10.0.0.1", bindHost: "0.0.0.0")) == nil)
    }

    @Test func devLoopbackTakesTheEmailHeaderOnLoopbackBindAndPeer() async throws {
        let configuration = AccessConfiguration(devLoopbackIdentity: true, devLoopbackDefaultEgroups: ["runledger-demo-api"])
        for bind in ["127.0.0.1", "::1", "localhost", "[::1]"] {
            let resolver = try await IdentityResolver(configuration: configuration, bindHost: bind)
            let identity = try await resolver.resolve(
                AccessRequest(headers: ["email": "api@api"], peerAddress: "127.0.0.1", bindHost: bind))
            #expect(identity == Identity(email: "api@api", egroups: ["runledger-demo-api"], method: .devLoopback), "bind \(bind)")
        }
    }

    @Test func devLoopbackTakesTheEgroupsHeaderWhenSent() async throws {
        let configuration = AccessConfiguration(devLoopbackIdentity: true, devLoopbackDefaultEgroups: ["runledger-demo-api"])
        let resolver = try await IdentityResolver(configuration: configuration, bindHost: "127.0.0.1")
        let identity = try await resolver.resolve(
            AccessRequest(headers: ["email": "viewer@demo", "egroups": ""], peerAddress: "::1", bindHost: "127.0.0.1"))
        #expect(identity?.egroups == [])
    }

    @Test func demoIdentitiesGetTheirOwnGroupsAndOthersTheDefault() async throws {
        let configuration = DemoAccess.configuration(from: AccessConfiguration(), bindHost: "127.0.0.1")
        let resolver = try await IdentityResolver(configuration: configuration, bindHost: "127.0.0.1")
        func groups(_ email: String) async throws -> Set<String>? {
            try await resolver.resolve(AccessRequest(headers: ["email": email], peerAddress: "127.0.0.1", bindHost: "127.0.0.1"))?.egroups
        }
        #expect(try await groups("viewer@demo") == [])
        #expect(try await groups("shifter@demo") == [DemoAccess.shifterGroup])
        #expect(try await groups("api@api") == [DemoAccess.apiGroup])
        #expect(try await groups("someone@cern.ch") == [DemoAccess.apiGroup])
    }

    @Test func devLoopbackIgnoresANonLoopbackPeer() async throws {
        let resolver = try await IdentityResolver(
            configuration: AccessConfiguration(devLoopbackIdentity: true), bindHost: "localhost")
        let identity = try await resolver.resolve(
            AccessRequest(headers: ["email": "api@api"], peerAddress: "192.168.0.7", bindHost: "localhost"))
        #expect(identity == nil)
    }

    @Test func devLoopbackIgnoresARequestWhoseBindIsNotLoopback() async throws {
        let resolver = try await IdentityResolver(
            configuration: AccessConfiguration(devLoopbackIdentity: true), bindHost: "127.0.0.1")
        let identity = try await resolver.resolve(
            AccessRequest(headers: ["email": "api@api"], peerAddress: "127.0.0.1", bindHost: "0.0.0.0"))
        #expect(identity == nil)
    }

    @Test(arguments: ["0.0.0.0", "::", "192.168.1.10", "example.org"])
    func devLoopbackOnANonLoopbackBindIsAConfigurationError(bind: String) async throws {
        let error = await #expect(throws: AccessError.self) {
            try await IdentityResolver(configuration: AccessConfiguration(devLoopbackIdentity: true), bindHost: bind)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.hasPrefix("access.dev_loopback_identity:") == true)
        #expect(error?.message.contains(bind) == true)
    }

    @Test func devLoopbackIsOffByDefault() async throws {
        let resolver = try await IdentityResolver(configuration: AccessConfiguration(), bindHost: "127.0.0.1")
        #expect(try await resolver.resolve(
            AccessRequest(headers: ["email": "api@api"], peerAddress: "127.0.0.1", bindHost: "127.0.0.1")) == nil)
    }
}
