import HTTPTypes
public import Rules

/// Typed access to the fields of a JSON request body, with 400 answers that name the field and the expected type.
public struct BodyReader: Sendable {
    /// The body's fields.
    public let object: JSONObject
    /// Where the object sits in the request, for messages (`body`, `body.new_lumisection_range`).
    public let path: String

    /// Wraps an object found at `path`.
    public init(_ object: JSONObject, path: String = "body") {
        self.object = object
        self.path = path
    }

    /// Parses a request body that must be a JSON object (an empty body counts as `{}`).
    public static func parse(_ bytes: [UInt8]) throws(APIError) -> BodyReader {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return BodyReader(JSONObject()) }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes, maxDepth: 64)
        } catch {
            throw APIError(.badRequest, "malformed_json", "the request body is not valid JSON: \(error.description)")
        }
        guard case .object(let o) = value else {
            throw APIError.badRequest("the request body must be a JSON object, not \(value.kindName)")
        }
        return BodyReader(o)
    }

    private func field(_ name: String) -> String { "\(path).\(name)" }

    private func mistyped(_ name: String, _ expected: String, _ got: JSONValue) -> APIError {
        .badRequest("\(field(name)) must be \(expected), not \(got.kindName)")
    }

    /// Whether the field is present and not null.
    public func has(_ name: String) -> Bool {
        if let v = object[name], !v.isNull { return true }
        return false
    }

    /// A required string field.
    public func string(_ name: String) throws(APIError) -> String {
        guard let v = object[name], !v.isNull else { throw .badRequest("\(field(name)) is required (a string)") }
        guard case .string(let s) = v else { throw mistyped(name, "a string", v) }
        return s
    }

    /// An optional string field (absent or null gives nil).
    public func optionalString(_ name: String) throws(APIError) -> String? {
        guard has(name) else { return nil }
        return try string(name)
    }

    /// A required integer field, checked to be a whole number within ±2^53.
    public func int(_ name: String) throws(APIError) -> Int {
        guard let v = object[name], !v.isNull else { throw .badRequest("\(field(name)) is required (an integer)") }
        return try Self.integer(v, field(name))
    }

    /// An optional integer field.
    public func optionalInt(_ name: String) throws(APIError) -> Int? {
        guard has(name) else { return nil }
        return try int(name)
    }

    /// Converts a JSON value to an integer, refusing fractions, strings and numbers beyond ±2^53.
    public static func integer(_ v: JSONValue, _ where_: String) throws(APIError) -> Int {
        guard case .number(let d) = v else { throw .badRequest("\(where_) must be an integer, not \(v.kindName)") }
        guard d.isFinite, d == d.rounded(), abs(d) <= 9_007_199_254_740_992 else {
            throw .badRequest("\(where_) must be a whole number between -2^53 and 2^53, not \(v.serialized())")
        }
        return Int(d)
    }

    /// A required boolean field.
    public func bool(_ name: String) throws(APIError) -> Bool {
        guard let v = object[name], !v.isNull else { throw .badRequest("\(field(name)) is required (true or false)") }
        guard case .bool(let b) = v else { throw mistyped(name, "true or false", v) }
        return b
    }

    /// An optional boolean field.
    public func optionalBool(_ name: String) throws(APIError) -> Bool? {
        guard has(name) else { return nil }
        return try bool(name)
    }

    /// A required number field.
    public func number(_ name: String) throws(APIError) -> Double {
        guard let v = object[name], !v.isNull else { throw .badRequest("\(field(name)) is required (a number)") }
        guard case .number(let d) = v, d.isFinite else { throw mistyped(name, "a finite number", v) }
        return d
    }

    /// A required nested object.
    public func objectField(_ name: String) throws(APIError) -> BodyReader {
        guard let v = object[name], !v.isNull else { throw .badRequest("\(field(name)) is required (an object)") }
        guard case .object(let o) = v else { throw mistyped(name, "an object", v) }
        return BodyReader(o, path: field(name))
    }

    /// A required array field.
    public func array(_ name: String) throws(APIError) -> [JSONValue] {
        guard let v = object[name], !v.isNull else { throw .badRequest("\(field(name)) is required (an array)") }
        guard case .array(let a) = v else { throw mistyped(name, "an array", v) }
        return a
    }

    /// A required array of strings.
    public func strings(_ name: String) throws(APIError) -> [String] {
        var out: [String] = []
        for (i, v) in try array(name).enumerated() {
            guard case .string(let s) = v else { throw .badRequest("\(field(name))[\(i)] must be a string, not \(v.kindName)") }
            out.append(s)
        }
        return out
    }

    /// A required array of numbers.
    public func numbers(_ name: String) throws(APIError) -> [Double] {
        var out: [Double] = []
        for (i, v) in try array(name).enumerated() {
            guard case .number(let d) = v, d.isFinite else {
                throw .badRequest("\(field(name))[\(i)] must be a finite number, not \(v.kindName)")
            }
            out.append(d)
        }
        return out
    }

    /// The optional `expected_version` (a stream version, ≥ 0).
    public func expectedVersion() throws(APIError) -> UInt64? {
        guard let v = try optionalInt("expected_version") else { return nil }
        guard v >= 0 else { throw .badRequest("\(field("expected_version")) must be 0 or more, not \(v)") }
        return UInt64(v)
    }
}
