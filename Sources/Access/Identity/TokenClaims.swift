import JWTKit

/// The claims of a bearer token as JSON values, so that the configured claim names can be read.
///
/// Time and audience claims are checked by ``BearerTokenVerifier`` after the signature, against an
/// injected clock; ``verify(using:)`` therefore does nothing.
struct TokenClaims: JWTPayload, Sendable, Hashable {
    /// The claims by name.
    var values: [String: ClaimValue]

    /// Decodes every claim of the payload object.
    init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: ClaimValue].self)
    }

    /// Encodes the claims as one object.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    /// Accepts any payload; the checks happen in ``BearerTokenVerifier`` with its clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// One JSON value of a token claim.
enum ClaimValue: Sendable, Hashable, Codable {
    /// A string.
    case string(String)
    /// A number.
    case number(Double)
    /// A boolean.
    case bool(Bool)
    /// An array.
    case array([ClaimValue])
    /// An object.
    case object([String: ClaimValue])
    /// `null`.
    case null

    /// Decodes any JSON value.
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([ClaimValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: ClaimValue].self))
        }
    }

    /// Encodes the value as JSON.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n): try c.encode(n)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }
}
