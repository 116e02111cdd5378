extension AccessConfiguration.JWT {
    /// The signature algorithms a verification key may use.
    public enum Algorithm: String, Sendable, Hashable, CaseIterable, Decodable {
        /// HMAC with SHA-256 and a shared secret.
        case hs256 = "HS256"
        /// RSASSA-PKCS1-v1_5 with SHA-256 and an RSA public key.
        case rs256 = "RS256"
        /// ECDSA on P-256 with SHA-256 and an EC public key.
        case es256 = "ES256"
    }

    /// One bearer-token verification key: its id, its algorithm and its material.
    ///
    /// - Important: HS256 secrets must be at least ``minimumSecretLength`` bytes (RFC 7518 §3.2).
    public struct Key: Sendable, Hashable {
        /// The shortest HS256 secret accepted, in UTF-8 bytes.
        public static let minimumSecretLength = 32

        /// The key id (`kid`), matched against the token header's `kid`.
        public var kid: String
        /// The algorithm (`algorithm`); a token whose header names another one is rejected.
        public var algorithm: Algorithm
        /// The shared secret (`secret`), for HS256 only.
        public var secret: String?
        /// The PEM public key (`public_key_pem`), for RS256 and ES256 only.
        public var publicKeyPEM: String?

        /// Creates a key; decoding and ``IdentityResolver`` check that its material fits its algorithm.
        public init(kid: String, algorithm: Algorithm, secret: String? = nil, publicKeyPEM: String? = nil) {
            self.kid = kid
            self.algorithm = algorithm
            self.secret = secret
            self.publicKeyPEM = publicKeyPEM
        }

        /// The problem with this key's fields, as a (field, problem) pair, or `nil` when it is consistent.
        func problem() -> (field: String, problem: String)? {
            if kid.isEmpty { return ("kid", "must not be empty") }
            switch algorithm {
            case .hs256:
                guard let secret else { return ("secret", "HS256 needs a secret") }
                if publicKeyPEM != nil { return ("public_key_pem", "HS256 takes a secret, not a public key") }
                if secret.utf8.count < Self.minimumSecretLength {
                    return ("secret", "an HS256 secret needs at least \(Self.minimumSecretLength) bytes")
                }
            case .rs256, .es256:
                guard let pem = publicKeyPEM else {
                    return ("public_key_pem", "\(algorithm.rawValue) needs a public key in PEM")
                }
                if secret != nil { return ("secret", "\(algorithm.rawValue) takes a public key, not a secret") }
                if !pem.contains("-----BEGIN") { return ("public_key_pem", "is not PEM text") }
            }
            return nil
        }
    }
}

extension AccessConfiguration.JWT.Key: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case kid, algorithm, secret
        case publicKeyPEM = "public_key_pem"
    }

    /// Decodes and checks one key; an unknown or inconsistent field is an error naming it.
    public init(from decoder: any Decoder) throws {
        try ConfigurationDecoding.rejectUnknownKeys(in: decoder, known: CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kid = try c.decode(String.self, forKey: .kid)
        let algorithmText = try c.decode(String.self, forKey: .algorithm)
        guard let algorithm = AccessConfiguration.JWT.Algorithm(rawValue: algorithmText) else {
            let known = AccessConfiguration.JWT.Algorithm.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                forKey: .algorithm, in: c, debugDescription: "\"\(algorithmText)\" is not one of \(known)")
        }
        self.algorithm = algorithm
        secret = try c.decodeIfPresent(String.self, forKey: .secret)
        publicKeyPEM = try c.decodeIfPresent(String.self, forKey: .publicKeyPEM)
        if let (field, problem) = problem(), let key = CodingKeys(rawValue: field) {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: problem)
        }
    }
}
