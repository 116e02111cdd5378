import HTTPTypes
import Foundation
import Projections
import Hummingbird

/// Builders of the web UI's HTTP answers: HTML pages, redirects, downloads and static files.
enum HTML {
    /// An HTML page with `status`.
    static func page(_ html: String, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A 303 redirect to `location` (after a form POST, so that reloading does not post again).
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// A file download with the given bytes, content type and file name.
    static func download(_ bytes: [UInt8], contentType: String, filename: String, sequence: UInt64) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        headers[HTTPField.Name("X-Ledger-Sequence")!] = String(sequence)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A static asset answer, cacheable for an hour.
    static func asset(_ bytes: [UInt8], contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Percent-encodes a query-string value.
    static func query(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A URL path with query parameters; empty values are left out.
    static func url(_ path: String, _ parameters: [(String, String?)]) -> String {
        let pairs = parameters.compactMap { k, v -> String? in
            guard let v, !v.isEmpty else { return nil }
            return "\(k)=\(query(v))"
        }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }
}

/// A URL-encoded form body (`application/x-www-form-urlencoded`) as ordered name-value pairs.
struct FormBody: Sendable {
    /// The fields in the order they came.
    var fields: [(String, String)]

    /// Parses `a=1&b=x+y` (plus as space, percent escapes decoded).
    init(_ text: String) {
        fields = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value of a field, trimmed; nil when absent or blank.
    subscript(_ name: String) -> String? {
        guard let v = fields.first(where: { $0.0 == name })?.1 else { return nil }
        let t = v.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// The first value of a field exactly as sent (multi-line text keeps its spacing); nil when absent.
    func raw(_ name: String) -> String? { fields.first(where: { $0.0 == name })?.1 }
}
