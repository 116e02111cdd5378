import Rules

/// Helpers that quote keys and values for error messages.
enum JSONEscaping {
    /// The JSON string literal for `text`, e.g. `"dt-dt"`.
    static func quoted(_ text: String) -> String {
        JSONValue.string(text).serialized()
    }

    /// A compact rendering of a value for a message, shortened when long.
    static func preview(_ value: JSONValue) -> String {
        let text = value.serialized()
        guard text.count > 60 else { return text }
        return String(text.prefix(57)) + "..."
    }
}
