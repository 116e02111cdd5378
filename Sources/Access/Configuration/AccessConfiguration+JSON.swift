import Foundation

extension AccessConfiguration {
    /// Decodes the `access` section from its JSON text (the object itself, not the whole file).
    ///
    /// ```swift
    /// let access = try AccessConfiguration.decode(json: Array(#"{"reads_open": false}"#.utf8))
    /// ```
    ///
    /// - Throws: ``AccessError`` with code `invalidConfiguration` and a message that starts with the bad
    ///   field's path, e.g. `access.jwt.keys[0].algorithm: "HS512" is not one of HS256, RS256, ES256`.
    public static func decode(json: [UInt8]) throws(AccessError) -> AccessConfiguration {
        do {
            return try JSONDecoder().decode(AccessConfiguration.self, from: Data(json))
        } catch let error as DecodingError {
            throw AccessError(describing: error, root: "access")
        } catch {
            throw AccessError(.invalidConfiguration, "access: \(error)")
        }
    }
}

extension AccessError {
    /// Turns a decoding failure of the access configuration into an error naming the field.
    ///
    /// - Parameters:
    ///   - error: The failure from decoding ``AccessConfiguration`` (alone or inside a larger file).
    ///   - root: The path prefix: `access` when the section was decoded alone, `""` when the coding path
    ///     already starts at the file's top level.
    public init(describing error: DecodingError, root: String) {
        switch error {
        case .typeMismatch(let type, let context):
            let path = ConfigurationDecoding.path(context.codingPath, root: root)
            self = .configuration(path, "expected \(Self.jsonKind(of: type))")
        case .valueNotFound(let type, let context):
            let path = ConfigurationDecoding.path(context.codingPath, root: root)
            self = .configuration(path, "expected \(Self.jsonKind(of: type)), found null")
        case .keyNotFound(let key, let context):
            let path = ConfigurationDecoding.path(context.codingPath + [key], root: root)
            self = .configuration(path, "is required")
        case .dataCorrupted(let context):
            let path = ConfigurationDecoding.path(context.codingPath, root: root)
            if context.codingPath.isEmpty {
                self = .configuration(path, "is not valid JSON")
            } else {
                self = .configuration(path, context.debugDescription)
            }
        @unknown default:
            self = AccessError(.invalidConfiguration, "\(root): \(error)")
        }
    }

    /// The JSON kind a Swift type decodes from, for messages.
    private static func jsonKind(of type: Any.Type) -> String {
        switch type {
        case is Bool.Type: return "a boolean"
        case is String.Type: return "a string"
        case is Int.Type, is Double.Type: return "a number"
        case is [String].Type, is [Any].Type: return "an array"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}
