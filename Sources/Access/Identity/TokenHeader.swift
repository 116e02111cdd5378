import Foundation

/// The unverified JOSE header of a compact JWT, read only to choose the verification key.
///
/// Nothing in it is trusted: it picks which configured key to try, and the algorithm it names must be
/// that key's algorithm, so a token cannot steer verification to another algorithm (`none`, or HS256
/// with a public key as the secret).
struct TokenHeader: Decodable {
    /// The algorithm the token claims to be signed with.
    var alg: String
    /// The key id, when the token names one.
    var kid: String?
    /// Extensions the verifier must understand; any are refused.
    var crit: [String]?

    /// Reads the header of `token`, or throws an authentication error.
    static func read(_ token: String) throws(AccessError) -> TokenHeader {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .token("not a compact JWT (three dot-separated parts)")
        }
        guard let bytes = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(TokenHeader.self, from: Data(bytes))
        else {
            throw .token("the header is not base64url JSON with an alg")
        }
        if let crit = header.crit, !crit.isEmpty {
            throw .token("critical header extensions are not supported")
        }
        return header
    }
}

/// Base64url without padding (RFC 7515 §2).
enum Base64URL {
    /// The bytes `text` encodes, or `nil` when it is not base64url.
    static func decode(_ text: Substring) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}
