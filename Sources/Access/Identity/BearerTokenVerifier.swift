import Crypto
import Foundation
import JWTKit

/// The verifier of `Authorization: Bearer` tokens: signature by jwt-kit with the configured keys, then the claims.
///
/// Keys are parsed once, when the verifier is made. Each key sits in its own key collection, so the
/// key is chosen here (by `kid`, or the only key) and jwt-kit never falls back to another one.
struct BearerTokenVerifier: Sendable {
    /// A configured key and the jwt-kit collection that holds only it.
    private struct LoadedKey: Sendable {
        var settings: AccessConfiguration.JWT.Key
        var collection: JWTKeyCollection
    }

    private let settings: AccessConfiguration.JWT
    private let keys: [String: LoadedKey]
    private let now: @Sendable () -> Date

    /// Loads the keys of `settings`; a key that does not parse is a configuration error naming it.
    init(settings: AccessConfiguration.JWT, now: @escaping @Sendable () -> Date) async throws(AccessError) {
        guard !settings.keys.isEmpty else { throw .configuration("access.jwt.keys", "needs at least one key") }
        var keys: [String: LoadedKey] = [:]
        for (index, key) in settings.keys.enumerated() {
            let field = "access.jwt.keys[\(index)]"
            if let (name, problem) = key.problem() { throw .configuration("\(field).\(name)", problem) }
            guard keys[key.kid] == nil else {
                throw .configuration("\(field).kid", "kid \"\(key.kid)\" appears more than once")
            }
            keys[key.kid] = LoadedKey(settings: key, collection: try await Self.collection(for: key, field: field))
        }
        self.settings = settings
        self.keys = keys
        self.now = now
    }

    /// Verifies `token` and returns the identity its claims name.
    ///
    /// - Throws: ``AccessError`` `invalidToken` for any failure; the message never contains the token.
    func identity(from token: String) async throws(AccessError) -> Identity {
        let header = try TokenHeader.read(token)
        let key = try chooseKey(for: header)
        guard header.alg == key.settings.algorithm.rawValue else {
            throw .token("the token's algorithm \(header.alg) is not that of key \"\(key.settings.kid)\"")
        }
        let claims: TokenClaims
        do {
            claims = try await key.collection.verify(token, as: TokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .token("the signature does not verify with key \"\(key.settings.kid)\"")
        } catch {
            throw .token("the token is malformed")
        }
        try checkTimes(claims)
        try checkIssuerAndAudience(claims)
        return try identity(of: claims)
    }

    /// The key a token header selects: its `kid`, or the only key when it names none.
    private func chooseKey(for header: TokenHeader) throws(AccessError) -> LoadedKey {
        if let kid = header.kid {
            guard let key = keys[kid] else { throw .token("unknown key id \"\(kid)\"") }
            return key
        }
        guard keys.count == 1, let only = keys.values.first else {
            throw .token("the token names no key id (kid) and several keys are configured")
        }
        return only
    }

    /// Checks `exp` (required) and `nbf` (optional) against the clock, with the configured leeway.
    private func checkTimes(_ claims: TokenClaims) throws(AccessError) {
        let current = now()
        let leeway = TimeInterval(settings.leewaySeconds)
        guard case .number(let exp)? = claims.values["exp"] else {
            throw .token("the token has no numeric exp claim")
        }
        do {
            try ExpirationClaim(value: Date(timeIntervalSince1970: exp)).verifyNotExpired(
                currentDate: current.addingTimeInterval(-leeway))
        } catch {
            throw .token("the token has expired")
        }
        switch claims.values["nbf"] {
        case nil: break
        case .number(let nbf)?:
            do {
                try NotBeforeClaim(value: Date(timeIntervalSince1970: nbf)).verifyNotBefore(
                    currentDate: current.addingTimeInterval(leeway))
            } catch {
                throw .token("the token is not valid yet (nbf)")
            }
        case _?: throw .token("the nbf claim is not a number")
        }
    }

    /// Checks `iss` and `aud` when the configuration names them.
    private func checkIssuerAndAudience(_ claims: TokenClaims) throws(AccessError) {
        if let issuer = settings.issuer {
            guard case .string(let iss)? = claims.values["iss"], iss == issuer else {
                throw .token("the issuer (iss) is not the configured one")
            }
        }
        if let audience = settings.audience {
            let audiences: [String]
            switch claims.values["aud"] {
            case .string(let one)?: audiences = [one]
            case .array(let many)?: audiences = many.compactMap { if case .string(let s) = $0 { s } else { nil } }
            default: audiences = []
            }
            do {
                try AudienceClaim(value: audiences).verifyIntendedAudience(includes: audience)
            } catch {
                throw .token("the audience (aud) does not include the configured one")
            }
        }
    }

    /// The identity named by the configured e-mail, groups and name claims.
    private func identity(of claims: TokenClaims) throws(AccessError) -> Identity {
        guard case .string(let email)? = claims.values[settings.emailClaim], Identity.isValidEmail(email) else {
            throw .token("the \(settings.emailClaim) claim is missing or not an e-mail address")
        }
        let groups: Set<String>
        switch claims.values[settings.groupsClaim] {
        case nil, .null?: groups = []
        case .string(let list)?: groups = EgroupList.parse(list)
        case .array(let items)?:
            var names = Set<String>()
            for item in items {
                guard case .string(let name) = item else {
                    throw .token("the \(settings.groupsClaim) claim holds a value that is not a string")
                }
                if EgroupList.isValidName(name) { names.insert(name) }
            }
            groups = names
        case _?:
            throw .token(
                "the \(settings.groupsClaim) claim is neither an array of strings nor a comma-separated string")
        }
        var displayName: String?
        if case .string(let name)? = claims.values[settings.nameClaim], !name.isEmpty { displayName = name }
        return Identity(email: email, egroups: groups, displayName: displayName, method: .jwt)
    }

    /// A jwt-kit collection holding only `key`, as its default signer.
    private static func collection(
        for key: AccessConfiguration.JWT.Key, field: String
    ) async throws(AccessError) -> JWTKeyCollection {
        let collection = JWTKeyCollection()
        switch key.algorithm {
        case .hs256:
            await collection.add(hmac: HMACKey(from: key.secret ?? ""), digestAlgorithm: .sha256)
        case .rs256:
            do {
                let publicKey = try Insecure.RSA.PublicKey(pem: key.publicKeyPEM ?? "")
                await collection.add(rsa: publicKey, digestAlgorithm: .sha256)
            } catch {
                throw .configuration("\(field).public_key_pem", "is not an RSA public key of at least 2048 bits in PEM")
            }
        case .es256:
            do {
                let publicKey = try ES256PublicKey(pem: key.publicKeyPEM ?? "")
                await collection.add(ecdsa: publicKey)
            } catch {
                throw .configuration("\(field).public_key_pem", "is not a P-256 public key in PEM")
            }
        }
        return collection
    }
}
