/// Helpers shared by the configuration decoders: strict keys and field paths in error messages.
enum ConfigurationDecoding {
    /// Any key of a JSON object, for listing the keys actually present.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// An array position in a coding path.
    struct Index: CodingKey {
        var intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    /// Throws when the object being decoded has a key that `known` does not list.
    static func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(in decoder: any Decoder, known: Keys.Type) throws {
        let present = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        let allowed = Set(Keys.allCases.map(\.stringValue))
        for key in present.sorted() where !allowed.contains(key) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath + [AnyKey(stringValue: key)],
                    debugDescription: "unknown field; known fields are \(allowed.sorted().joined(separator: ", "))"))
        }
    }

    /// The dotted path of a coding path under `root`, e.g. `access.jwt.keys[0].secret`.
    static func path(_ codingPath: [any CodingKey], root: String) -> String {
        var text = root
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(top level)" : text
    }
}
