import HTTPTypes
public import Hummingbird
public import Rules

/// Builders of JSON answers: every answer of the API, errors included, is JSON.
public enum JSONResponses {
    /// The header that carries the log sequence an answer was computed at.
    public static let sequenceHeader = HTTPField.Name("X-Ledger-Sequence")!

    /// A JSON answer with `status`, and the answered-at sequence as a header when given.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, sequence: UInt64? = nil) -> Response {
        bytes(value.serializedBytes(), status: status, sequence: sequence)
    }

    /// An answer whose body is already-serialised JSON.
    public static func bytes(
        _ bytes: [UInt8], status: HTTPResponse.Status = .ok, sequence: UInt64? = nil,
        contentType: String = "application/json; charset=utf-8"
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        if let sequence { headers[sequenceHeader] = String(sequence) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An answer whose body is an already-serialised JSON buffer (shared, never written to).
    public static func buffer(_ buffer: ByteBuffer, status: HTTPResponse.Status = .ok, sequence: UInt64? = nil) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if let sequence { headers[sequenceHeader] = String(sequence) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    /// The native error body: `{"error": code, "message": ..., <extra>}`.
    public static func nativeError(_ error: APIError) -> Response {
        var object = JSONObject()
        object["error"] = .string(error.code)
        object["message"] = .string(error.message)
        for (k, v) in error.extra { object[k] = v }
        return json(.object(object), status: error.status)
    }

    /// The Run Registry error body: `{"err": message}`; e-group denials also carry `message`.
    public static func runRegistryError(_ error: APIError) -> Response {
        var object = JSONObject()
        object["err"] = .string(error.message)
        if error.status == .unauthorized { object["message"] = .string(error.message) }
        return json(.object(object), status: error.status)
    }
}
