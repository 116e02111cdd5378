/// Rules for HTTP header field names (RFC 9110 tokens), used to check configured header names.
enum HeaderName {
    /// Whether `name` is a non-empty token of letters, digits and ``tokenSymbols``.
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || tokenSymbols.contains(Character(scalar)))
        }
    }

    /// The punctuation a token may contain.
    private static let tokenSymbols = Set("!#$%&'*+-.^_`|~")
}
