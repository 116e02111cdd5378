import Access
import Testing

/// The `access` section: defaults, and errors that name the bad field.
struct ConfigurationDecodingTests {
    private func decode(_ json: String) throws(AccessError) -> AccessConfiguration {
        try AccessConfiguration.decode(json: Array(json.utf8))
    }

    private func failure(_ json: String) -> AccessError? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func emptySectionGivesTheDefaults() throws {
        let configuration = try decode("{}")
        #expect(configuration == AccessConfiguration())
        #expect(configuration.readsOpen)
        #expect(!configuration.devLoopbackIdentity)
        #expect(configuration.jwt == nil && configuration.trustedProxy == nil)
    }

    @Test func fullSectionDecodes() throws {
        let configuration = try decode(#"""
            {"reads_open": false,
             "jwt": {"keys": [{"kid": "k1", "algorithm": "HS256", "secret": "0123456789abcdef0123456789abcdef"},
                              {"kid": "k2", "algorithm": "ES256", "public_key_pem": "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----"}],
                     "issuer": "https://auth.cern.ch", "audience": "runledger", "groups_claim": "cern_roles"},
             "trusted_proxy": {"addresses": ["10.0.0.0/8", "::1", "192.168.7.7"], "egroups_header": "X-Egroups"},
             "dev_loopback_identity": true, "dev_loopback_default_egroups": ["runledger-demo-api"]}
            """#)
        #expect(!configuration.readsOpen)
        #expect(configuration.jwt?.keys.map(\.kid) == ["k1", "k2"])
        #expect(configuration.jwt?.keys.map(\.algorithm) == [.hs256, .es256])
        #expect(configuration.jwt?.emailClaim == "email")
        #expect(configuration.jwt?.groupsClaim == "cern_roles")
        #expect(configuration.trustedProxy?.addresses.map(\.description) == ["10.0.0.0/8", "::1/128", "192.168.7.7/32"])
        #expect(configuration.trustedProxy?.emailHeader == "email")
        #expect(configuration.trustedProxy?.egroupsHeader == "X-Egroups")
        #expect(configuration.devLoopbackIdentity)
        #expect(configuration.devLoopbackDefaultEgroups == ["runledger-demo-api"])
    }

    @Test(arguments: [
        (#"{"reads_open": "yes"}"#, "access.reads_open: expected a boolean"),
        (#"{"reads_opne": false}"#, "access.reads_opne: unknown field"),
        (#"{"jwt": {"keys": []}}"#, "access.jwt.keys: needs at least one key"),
        (#"{"jwt": {}}"#, "access.jwt.keys: is required"),
        (#"{"jwt": {"keys": [{"kid": "a", "algorithm": "HS512", "secret": "s"}]}}"#,
         #"access.jwt.keys[0].algorithm: "HS512" is not one of HS256, RS256, ES256"#),
        (#"{"jwt": {"keys": [{"kid": "a", "algorithm": "HS256", "secret": "short"}]}}"#,
         "access.jwt.keys[0].secret: an HS256 secret needs at least 32 bytes"),
        (#"{"jwt": {"keys": [{"kid": "a", "algorithm": "RS256"}]}}"#,
         "access.jwt.keys[0].public_key_pem: RS256 needs a public key in PEM"),
        (#"{"jwt": {"keys": [{"kid": "a", "algorithm": "HS256", "secret": "0123456789abcdef0123456789abcdef", "pem": 1}]}}"#,
         "access.jwt.keys[0].pem: unknown field"),
        (#"{"jwt": {"keys": [{"kid": "a", "algorithm": "HS256", "secret": "0123456789abcdef0123456789abcdef"}], "issuer": ""}}"#,
         "access.jwt.issuer: must not be empty"),
        (#"{"trusted_proxy": {"addresses": ["10.0.0.1", "proxy.cern.ch"]}}"#,
         #"access.trusted_proxy.addresses[1]: "proxy.cern.ch" is not an IPv4 or IPv6 address"#),
        (#"{"trusted_proxy": {"addresses": ["10.0.0.0/33"]}}"#, "access.trusted_proxy.addresses[0]:"),
        (#"{"trusted_proxy": {"addresses": []}}"#, "access.trusted_proxy.addresses: needs at least one address"),
        (#"{"trusted_proxy": {"addresses": ["::1"], "email_header": "e mail"}}"#, "access.trusted_proxy.email_header:"),
        (#"{"dev_loopback_default_egroups": ["a,b"]}"#, "access.dev_loopback_default_egroups:"),
        (#"{"reads_open": tru"#, "access: is not valid JSON"),
    ])
    func invalidFieldIsNamedInTheError(json: String, expectedStart: String) {
        let error = failure(json)
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.hasPrefix(expectedStart) == true, "got \(String(describing: error?.message))")
    }

    @Test func errorsNeverContainTheSecret() {
        let error = failure(#"{"jwt": {"keys": [{"kid": "a", "algorithm": "HS256", "secret": "hunter2-short"}]}}"#)
        #expect(error != nil)
        #expect(error?.message.contains("hunter2") == false)
    }
}
