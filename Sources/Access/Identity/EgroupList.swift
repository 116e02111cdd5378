/// Parsing of e-group lists as proxies and tokens send them: comma-separated names.
enum EgroupList {
    /// The e-group names in `text`, split at commas, trimmed; empty and malformed entries are dropped.
    static func parse(_ text: String) -> Set<String> {
        Set(
            text.split(separator: ",")
                .map { $0.trimmingSpaces() }
                .filter(isValidName))
    }

    /// Whether `name` can be an e-group: 1 to 256 characters, no commas, whitespace or control characters.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 256
            && !name.unicodeScalars.contains {
                $0 == "," || $0.properties.isWhitespace || $0.properties.generalCategory == .control
            }
    }
}
