extension AccessConfiguration {
    /// The `trusted_proxy` part of the access configuration: which peers may assert identities and in which headers.
    ///
    /// At CERN the SSO proxy validates the caller's token and sets `email`, `egroups` (comma-separated)
    /// and `displayname`; those headers mean something only when they come from that proxy.
    public struct TrustedProxy: Sendable, Hashable {
        /// The proxy's addresses (`addresses`): IPv4 or IPv6 literals, optionally in CIDR form.
        public var addresses: [AddressRange]
        /// The header that carries the e-mail address (`email_header`, default `email`).
        public var emailHeader: String
        /// The header that carries the comma-separated e-groups (`egroups_header`, default `egroups`).
        public var egroupsHeader: String
        /// The header that carries a display name (`displayname_header`, default `displayname`); optional in requests.
        public var displayNameHeader: String

        /// Creates the settings; the header names default to the CERN SSO proxy's.
        public init(
            addresses: [AddressRange],
            emailHeader: String = "email",
            egroupsHeader: String = "egroups",
            displayNameHeader: String = "displayname"
        ) {
            self.addresses = addresses
            self.emailHeader = emailHeader
            self.egroupsHeader = egroupsHeader
            self.displayNameHeader = displayNameHeader
        }

        /// Whether `peer` is one of the proxy's addresses.
        public func trusts(_ peer: IPAddress) -> Bool {
            addresses.contains { $0.contains(peer) }
        }
    }
}

extension AccessConfiguration.TrustedProxy: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case addresses
        case emailHeader = "email_header"
        case egroupsHeader = "egroups_header"
        case displayNameHeader = "displayname_header"
    }

    /// Decodes and checks the proxy settings; an unknown or invalid field is an error naming it.
    public init(from decoder: any Decoder) throws {
        try ConfigurationDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let texts = try c.decode([String].self, forKey: .addresses)
        guard !texts.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .addresses, in: c, debugDescription: "needs at least one address")
        }
        var ranges: [AddressRange] = []
        for (index, text) in texts.enumerated() {
            guard let range = AddressRange(text) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: c.codingPath + [CodingKeys.addresses, ConfigurationDecoding.Index(index)],
                        debugDescription: "\"\(text)\" is not an IPv4 or IPv6 address or CIDR block"))
            }
            ranges.append(range)
        }
        addresses = ranges
        emailHeader = try c.decodeIfPresent(String.self, forKey: .emailHeader) ?? "email"
        egroupsHeader = try c.decodeIfPresent(String.self, forKey: .egroupsHeader) ?? "egroups"
        displayNameHeader = try c.decodeIfPresent(String.self, forKey: .displayNameHeader) ?? "displayname"
        for (key, value) in [(CodingKeys.emailHeader, emailHeader), (.egroupsHeader, egroupsHeader),
                             (.displayNameHeader, displayNameHeader)]
        where !HeaderName.isValid(value) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "\"\(value)\" is not an HTTP header name")
        }
    }
}
