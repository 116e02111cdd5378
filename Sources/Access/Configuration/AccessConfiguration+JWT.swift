extension AccessConfiguration {
    /// The `jwt` part of the access configuration: the keys that verify bearer tokens and the claims they must carry.
    public struct JWT: Sendable, Hashable {
        /// The verification keys (`keys`), at least one, with distinct `kid`s.
        public var keys: [Key]
        /// The required `iss` claim (`issuer`); `nil` means any issuer.
        public var issuer: String?
        /// An audience the `aud` claim must include (`audience`); `nil` means any audience.
        public var audience: String?
        /// The claim that holds the caller's e-mail address (`email_claim`, default `email`).
        public var emailClaim: String
        /// The claim that holds the caller's e-groups (`groups_claim`, default `egroups`): an array of
        /// strings or one comma-separated string.
        public var groupsClaim: String
        /// The claim that holds a display name (`name_claim`, default `name`); optional in tokens.
        public var nameClaim: String
        /// Seconds of clock difference tolerated on `exp` and `nbf` (`leeway_seconds`, default 30).
        public var leewaySeconds: Int

        /// Creates the settings; the defaults match the configuration file's defaults.
        public init(
            keys: [Key],
            issuer: String? = nil,
            audience: String? = nil,
            emailClaim: String = "email",
            groupsClaim: String = "egroups",
            nameClaim: String = "name",
            leewaySeconds: Int = 30
        ) {
            self.keys = keys
            self.issuer = issuer
            self.audience = audience
            self.emailClaim = emailClaim
            self.groupsClaim = groupsClaim
            self.nameClaim = nameClaim
            self.leewaySeconds = leewaySeconds
        }
    }
}

extension AccessConfiguration.JWT: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case keys, issuer, audience
        case emailClaim = "email_claim"
        case groupsClaim = "groups_claim"
        case nameClaim = "name_claim"
        case leewaySeconds = "leeway_seconds"
    }

    /// Decodes and checks the `jwt` settings; an unknown or invalid field is an error naming it.
    public init(from decoder: any Decoder) throws {
        try ConfigurationDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keys = try c.decode([Key].self, forKey: .keys)
        issuer = try c.decodeIfPresent(String.self, forKey: .issuer)
        audience = try c.decodeIfPresent(String.self, forKey: .audience)
        emailClaim = try c.decodeIfPresent(String.self, forKey: .emailClaim) ?? "email"
        groupsClaim = try c.decodeIfPresent(String.self, forKey: .groupsClaim) ?? "egroups"
        nameClaim = try c.decodeIfPresent(String.self, forKey: .nameClaim) ?? "name"
        leewaySeconds = try c.decodeIfPresent(Int.self, forKey: .leewaySeconds) ?? 30

        if keys.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .keys, in: c, debugDescription: "needs at least one key")
        }
        var seen = Set<String>()
        for key in keys where !seen.insert(key.kid).inserted {
            throw DecodingError.dataCorruptedError(
                forKey: .keys, in: c, debugDescription: "kid \"\(key.kid)\" appears more than once")
        }
        for (key, value) in [(CodingKeys.issuer, issuer), (.audience, audience)] where value?.isEmpty == true {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "must not be empty; omit it instead")
        }
        for (key, value) in [(CodingKeys.emailClaim, emailClaim), (.groupsClaim, groupsClaim), (.nameClaim, nameClaim)]
        where value.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "must name a claim")
        }
        if !(0...3600).contains(leewaySeconds) {
            throw DecodingError.dataCorruptedError(
                forKey: .leewaySeconds, in: c, debugDescription: "must be between 0 and 3600, not \(leewaySeconds)")
        }
    }
}
