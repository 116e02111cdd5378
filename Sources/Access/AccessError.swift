/// A failure to configure access control or to authenticate a request, with a message an operator can act on.
///
/// Messages name the configuration field or the part of the request that was wrong. They never include a
/// token, a secret or a key.
public struct AccessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of access failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The `access` configuration is malformed or unsafe; the server must not start.
        case invalidConfiguration
        /// A bearer token was presented and failed verification (signature, expiry, issuer, audience, claims);
        /// the HTTP layer answers 401.
        case invalidToken
    }

    /// What kind of failure this is.
    public let code: Code
    /// A sentence for people: what was wrong and where.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A configuration error naming the bad field, e.g. `access.jwt.keys[0].secret`.
    static func configuration(_ field: String, _ problem: String) -> AccessError {
        AccessError(.invalidConfiguration, "\(field): \(problem)")
    }

    /// An authentication failure of a bearer token.
    static func token(_ problem: String) -> AccessError {
        AccessError(.invalidToken, "bearer token rejected: \(problem)")
    }

    /// `invalidToken: bearer token rejected: the token has expired`.
    public var description: String { "\(code.rawValue): \(message)" }
}
