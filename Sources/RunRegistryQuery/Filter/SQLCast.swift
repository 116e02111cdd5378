import Rules

/// The casts Postgres applied to the text of a jsonb value (`#>>`) before comparing it.
///
/// A value that cannot be cast reads as NULL here (Postgres would abort the whole query with
/// "invalid input syntax"; one odd row should not fail a list request).
enum SQLCast {
    /// The text of a value as `#>>` yields it; nil for NULL (absent or JSON null).
    ///
    /// Arrays and objects use compact JSON (Postgres writes jsonb with `", "` and `": "`).
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number, .array, .object: return value.serialized()
        }
    }

    /// The value cast to `double precision`; nil for NULL or text that is not a number.
    static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let d): return d
        case .string(let s): return double(fromText: s)
        case .null, .bool, .array, .object: return nil
        }
    }

    /// The value cast to `boolean`; nil for NULL or text that is not a boolean literal.
    static func boolean(_ value: JSONValue) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .string(let s): return boolean(fromText: s)
        case .number(let d): return d == 1 ? true : (d == 0 ? false : nil)
        case .null, .array, .object: return nil
        }
    }

    /// Postgres `float8in`: optional surrounding spaces, decimal or exponent notation, NaN and Infinity.
    static func double(fromText text: String) -> Double? {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0 == "x" || $0 == "X" || $0 == "(" }) else { return nil }
        return Double(trimmed)
    }

    /// Postgres `boolin`: `t`/`true`/`y`/`yes`/`on`/`1` and `f`/`false`/`n`/`no`/`off`/`0`, any case, unique prefixes.
    static func boolean(fromText text: String) -> Bool? {
        let word = text.trimmingSpaces().lowercased()
        guard !word.isEmpty else { return nil }
        if "true".hasPrefix(word) || "yes".hasPrefix(word) || word == "on" || word == "1" { return true }
        if "false".hasPrefix(word) || "no".hasPrefix(word) || word == "off" || word == "of" || word == "0" {
            return false
        }
        return nil
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace.
    fileprivate func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
