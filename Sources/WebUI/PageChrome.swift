import Access
import Crypto
import APIServer
import Foundation
import Projections
import HTTPTypes
import Hummingbird
import LedgerCore

/// What every page shows around its content: the identity and its groups, navigation and the version banner.
struct PageChrome {
    /// One entry of the navigation bar.
    struct NavItem {
        var label: String
        var href: String
        var current: Bool
    }

    var title: String
    var email: String?
    var groups: String
    var signedIn: Bool
    var devSignIn: Bool
    var signInHref: String
    var nav: [NavItem]
    /// The version the page shows.
    var version: UInt64
    /// The latest version of the views.
    var latest: UInt64
    /// Set when the page shows a past version: what the banner says.
    var past: PastVersion?
    var csrf: String
    var flash: String?
    /// The page's own URL at the latest version (the banner's "back to now" link).
    var nowHref: String

    /// The banner of a page that shows a past version.
    struct PastVersion {
        var version: UInt64
        var time: String
        var latest: UInt64
    }
}

/// One request of the web UI: who asks, which version the page shows, and the form token.
struct UIRequest {
    /// The caller, nil when anonymous.
    var identity: Identity?
    /// The version the page shows.
    var version: UInt64
    /// Whether the request named a version (`?as_of=`) other than the latest.
    var isPast: Bool
    /// The latest version of the views when the request was resolved.
    var latest: UInt64
    /// The `as_of` text to carry on links (nil at the latest version).
    var asOf: String?
    /// The anti-forgery token of the browser (cookie value), and whether it must be set now.
    var csrf: String
    var setCSRFCookie: Bool
    /// The request's path and query.
    var path: String
    var query: [(String, String)]

    /// `href` with this request's `as_of` carried along.
    func link(_ path: String, _ parameters: [(String, String?)] = []) -> String {
        HTML.url(path, parameters + [("as_of", asOf)])
    }

    /// Cookies the answer must set.
    var cookies: [String] {
        setCSRFCookie ? ["\(UIIdentity.csrfCookie)=\(csrf); Path=/ui; HttpOnly; SameSite=Lax"] : []
    }
}

/// Cookie parsing and the demo sign-in.
enum UIIdentity {
    /// The cookie that holds the demo identity chosen on the dev sign-in page.
    static let identityCookie = "runledger_demo_identity"
    /// The cookie that holds the anti-forgery token that every form posts back.
    static let csrfCookie = "runledger_csrf"

    /// The cookies of a request by name.
    static func cookies(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for field in request.headers[values: .cookie] {
            for part in field.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { continue }
                out[kv[0].trimmingCharacters(in: .whitespaces)] = kv[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return out
    }

}

/// One choice of a `<select>` in a page: its value, its label and whether it is the current one.
struct SelectOption {
    var value: String
    var label: String
    var selected: Bool
}

/// The anti-forgery tokens of the UI's forms: a random nonce signed, together with the caller's
/// identity, with a secret of this server process.
///
/// A browser gets one in a cookie with its first page and posts it back with every form. A token the
/// server did not sign (e.g. a cookie planted by a sibling site), or signed for another identity (a
/// token an attacker fetched for themselves), is refused. Tokens end with the process: after a
/// restart, a form left open asks for a reload.
struct FormTokens: Sendable {
    private let key = SymmetricKey(size: .bits256)

    /// A new token for `identity` (the email, or empty when anonymous): 16 random bytes and the HMAC-SHA256
    /// of them and the identity, in hex.
    func issue(for identity: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Self.hex(nonce) + "." + Self.hex(Array(HMAC<SHA256>.authenticationCode(for: nonce + [0] + Array(identity.utf8), using: key)))
    }

    /// Whether `token` was issued by this process for `identity`.
    func isValid(_ token: String, for identity: String) -> Bool {
        let parts = token.split(separator: ".")
        guard parts.count == 2, let nonce = Self.bytes(parts[0]), nonce.count == 16, let mac = Self.bytes(parts[1]) else {
            return false
        }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: nonce + [0] + Array(identity.utf8), using: key)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    static func bytes(_ text: Substring) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        return out
    }
}

/// The CSS class word of a status or state: upper case, spaces as dashes (`waiting dqm gui` → `WAITING-DQM-GUI`).
enum StatusClass {
    static func of(_ state: String) -> String {
        state.uppercased().replacingOccurrences(of: " ", with: "-")
    }
}
