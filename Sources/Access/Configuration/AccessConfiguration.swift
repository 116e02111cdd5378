/// The `access` section of the server's configuration file: how identities are established and whether reads are open.
///
/// Every field has a default, so an empty object (or no section at all) gives open reads, no
/// bearer tokens, no trusted proxy and no dev identity — a server on which nobody can write.
///
/// ```json
/// "access": {
///   "reads_open": true,
///   "jwt": {"keys": [{"kid": "sso", "algorithm": "RS256", "public_key_pem": "-----BEGIN PUBLIC KEY-----..."}],
///           "issuer": "https://auth.cern.ch/auth/realms/cern", "audience": "runledger"},
///   "trusted_proxy": {"addresses": ["10.0.0.0/8", "::1"]},
///   "dev_loopback_identity": false
/// }
/// ```
///
/// - Important: Unknown fields are rejected, so that a misspelt security setting is an error at startup
///   rather than a silently ignored line.
public struct AccessConfiguration: Sendable, Hashable {
    /// Whether anonymous callers may read (`reads_open`, default `true`); writes always need an identity.
    public var readsOpen: Bool
    /// Bearer-token verification (`jwt`); `nil` means the `Authorization` header is ignored.
    public var jwt: JWT?
    /// The reverse proxy whose identity headers are believed (`trusted_proxy`); `nil` means none is.
    public var trustedProxy: TrustedProxy?
    /// Whether a loopback caller's `email` header is taken as it is (`dev_loopback_identity`, default `false`).
    ///
    /// This is the runregistry Python client's local mode. It is refused on a non-loopback bind.
    public var devLoopbackIdentity: Bool
    /// The e-groups of a dev-loopback identity whose request carries no `egroups` header
    /// (`dev_loopback_default_egroups`, default none).
    public var devLoopbackDefaultEgroups: [String]
    /// E-groups of known dev identities by email, used when a loopback request sends no `egroups`
    /// header (before ``devLoopbackDefaultEgroups``): the demo's shifter, expert, tracker certifier and viewer.
    public var devLoopbackIdentities: [String: [String]] = [:]

    /// Creates a configuration; the defaults are those of an empty `access` section.
    public init(
        readsOpen: Bool = true,
        jwt: JWT? = nil,
        trustedProxy: TrustedProxy? = nil,
        devLoopbackIdentity: Bool = false,
        devLoopbackDefaultEgroups: [String] = []
    ) {
        self.readsOpen = readsOpen
        self.jwt = jwt
        self.trustedProxy = trustedProxy
        self.devLoopbackIdentity = devLoopbackIdentity
        self.devLoopbackDefaultEgroups = devLoopbackDefaultEgroups
    }
}

extension AccessConfiguration: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case readsOpen = "reads_open"
        case jwt
        case trustedProxy = "trusted_proxy"
        case devLoopbackIdentity = "dev_loopback_identity"
        case devLoopbackDefaultEgroups = "dev_loopback_default_egroups"
        case devLoopbackIdentities = "dev_loopback_identities"
    }

    /// Decodes and checks the `access` section; an unknown or invalid field is an error naming it.
    public init(from decoder: any Decoder) throws {
        try ConfigurationDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        readsOpen = try c.decodeIfPresent(Bool.self, forKey: .readsOpen) ?? true
        jwt = try c.decodeIfPresent(JWT.self, forKey: .jwt)
        trustedProxy = try c.decodeIfPresent(TrustedProxy.self, forKey: .trustedProxy)
        devLoopbackIdentity = try c.decodeIfPresent(Bool.self, forKey: .devLoopbackIdentity) ?? false
        devLoopbackDefaultEgroups =
            try c.decodeIfPresent([String].self, forKey: .devLoopbackDefaultEgroups) ?? []
        devLoopbackIdentities = try c.decodeIfPresent([String: [String]].self, forKey: .devLoopbackIdentities) ?? [:]
        for group in devLoopbackIdentities.values.joined() where !EgroupList.isValidName(group) {
            throw DecodingError.dataCorruptedError(
                forKey: .devLoopbackIdentities, in: c,
                debugDescription: "\"\(group)\" is not an e-group name (non-empty, no commas, spaces or control characters)")
        }
        for group in devLoopbackDefaultEgroups where !EgroupList.isValidName(group) {
            throw DecodingError.dataCorruptedError(
                forKey: .devLoopbackDefaultEgroups, in: c,
                debugDescription:
                    "\"\(group)\" is not an e-group name (non-empty, no commas, spaces or control characters)")
        }
    }
}
