public import HTTPTypes
public import Rules

/// An error answer of the API: an HTTP status, a stable code and a sentence for people.
///
/// Native routes answer `{"error": code, "message": ...}` plus any extra fields (a conflict's
/// `current_version`); Run Registry routes answer `{"err": message}` as the `runregistry` client expects.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status of the answer.
    public var status: HTTPResponse.Status
    /// A stable machine-readable code, e.g. `not_found`, `conflict`, `invalid_body`.
    public var code: String
    /// What went wrong, where, and what is allowed.
    public var message: String
    /// Extra fields of the native error body, in order.
    public var extra: [(String, JSONValue)]

    /// Creates an error answer.
    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, extra: [(String, JSONValue)] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    /// A 400 for a request that cannot be read: malformed JSON, a missing or mistyped field.
    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "invalid_request", message) }
    /// A 404 for a run, dataset, cycle or route that does not exist (at the requested version).
    public static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    /// A 422 for a well-formed request that the domain refuses.
    public static func unprocessable(_ code: String, _ message: String) -> APIError {
        APIError(.unprocessableContent, code, message)
    }
}
