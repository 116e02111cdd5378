extension String {
    /// The string without leading and trailing whitespace, computed without Foundation.
    var trimmedForValidation: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// Whether the string contains a control character (C0, DEL).
    var containsControlCharacters: Bool {
        utf8.contains { $0 < 32 || $0 == 127 }
    }
}

/// Text checks shared by commands, stream names and configuration values.
enum TextRules {
    /// Whether `text` is 1...`maximum` bytes of letters, digits, `_`, `-` and `.`.
    static func isSimpleToken(_ text: String, maximum: Int = 100, allowDot: Bool = true, allowDash: Bool = true) -> Bool {
        guard !text.isEmpty, text.utf8.count <= maximum else { return false }
        return text.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
                || (allowDash && c == 45) || (allowDot && c == 46)
        }
    }

    /// Parses a canonical positive decimal integer (no sign, no leading zeros).
    static func positiveInteger(_ text: Substring) -> Int? {
        guard let first = text.utf8.first, first != 48, text.utf8.count <= 18,
            text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        return Int(text)
    }
}
