/// What the identity check needs to know about one HTTP request, independent of the HTTP library.
///
/// ```swift
/// let request = AccessRequest(
///     headers: [("Authorization", "Bearer eyJ..."), ("email", "api@api")],
///     peerAddress: "127.0.0.1", bindHost: "127.0.0.1")
/// ```
public struct AccessRequest: Sendable, Hashable {
    /// The request's header fields, looked up by case-insensitive name.
    public var headers: Headers
    /// The address of the connection's peer as an IP literal (`127.0.0.1`, `::1`), or `nil` when unknown.
    public var peerAddress: String?
    /// The host the server is bound to, as configured (`127.0.0.1`, `::1`, `localhost`, `0.0.0.0`).
    public var bindHost: String

    /// Creates a request description.
    public init(headers: Headers, peerAddress: String?, bindHost: String) {
        self.headers = headers
        self.peerAddress = peerAddress
        self.bindHost = bindHost
    }

    /// Header fields with case-insensitive names; a name may occur more than once.
    public struct Headers: Sendable, Hashable, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
        /// The values by lower-cased name, in arrival order.
        private var values: [String: [String]] = [:]

        /// Creates header fields from (name, value) pairs in arrival order.
        public init(_ fields: some Sequence<(String, String)>) {
            for (name, value) in fields { values[name.lowercased(), default: []].append(value) }
        }

        /// Creates header fields from a literal list of (name, value) pairs.
        public init(arrayLiteral elements: (String, String)...) {
            self.init(elements)
        }

        /// Creates header fields from a literal dictionary (one value per name).
        public init(dictionaryLiteral elements: (String, String)...) {
            self.init(elements)
        }

        /// Every value of the field `name`, in arrival order.
        public func values(for name: String) -> [String] {
            values[name.lowercased()] ?? []
        }

        /// The value of `name` when it occurs exactly once; `nil` when it is absent or repeated.
        public func single(_ name: String) -> String? {
            let found = values(for: name)
            return found.count == 1 ? found[0] : nil
        }

        /// Whether the field `name` occurs at all.
        public func contains(_ name: String) -> Bool {
            values[name.lowercased()] != nil
        }
    }
}
