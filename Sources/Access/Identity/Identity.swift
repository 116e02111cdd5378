/// Who a request is: an authenticated e-mail address, its CERN e-groups and how the server learned them.
///
/// The actor recorded in every event comes from here; a client cannot choose it.
public struct Identity: Sendable, Hashable, CustomStringConvertible {
    /// How an identity was established.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        /// A bearer token verified against the configured JWT keys.
        case jwt
        /// Identity headers from the configured trusted reverse proxy.
        case proxy
        /// The `email` header of a loopback caller on a loopback-only server (dev mode).
        case devLoopback = "dev-loopback"
    }

    /// The e-mail address, e.g. `jane.doe@cern.ch` or `api@api`.
    public let email: String
    /// The e-groups the caller belongs to.
    public let egroups: Set<String>
    /// A name for people, when the token or proxy gave one.
    public let displayName: String?
    /// How the identity was established.
    public let method: Method

    /// Creates an identity.
    public init(email: String, egroups: Set<String>, displayName: String? = nil, method: Method) {
        self.email = email
        self.egroups = egroups
        self.displayName = displayName
        self.method = method
    }

    /// `jane.doe@cern.ch (jwt)`: the address and the method, never the groups.
    public var description: String { "\(email) (\(method.rawValue))" }

    /// Whether `email` can be an identity's address: 1 to 320 characters with no whitespace or control characters.
    static func isValidEmail(_ email: String) -> Bool {
        !email.isEmpty && email.count <= 320
            && !email.unicodeScalars.contains {
                $0.properties.isWhitespace || $0.properties.generalCategory == .control
            }
    }
}
