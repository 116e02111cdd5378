/// A compiled SQL `LIKE` pattern: `%` matches any run of characters, `_` exactly one, `\` escapes.
///
/// Every other character, including regular-expression metacharacters such as `.`, `*`, `(` or `[`,
/// matches only itself. The whole text must match. With `caseInsensitive` it behaves like
/// Postgres `ILIKE` (both sides lower-cased character by character).
///
/// ```swift
/// let pattern = LikePattern("%commissioning2018%", caseInsensitive: true)
/// pattern?.matches("/cdaq/physics/Commissioning2018/v1.2")   // true
/// ```
///
/// - Complexity: O(*n*·*m*) in the worst case for text length *n* and pattern length *m*; no allocation.
public struct LikePattern: Sendable, Hashable {
    private enum Token: Sendable, Hashable {
        case scalar(Unicode.Scalar)
        case one
        case many
    }

    /// The pattern as written.
    public let pattern: String
    /// True for `ILIKE` semantics.
    public let caseInsensitive: Bool
    private let tokens: [Token]

    /// Compiles a pattern; nil when it ends with an unescaped `\` (Postgres rejects such patterns).
    public init?(_ pattern: String, caseInsensitive: Bool) {
        var tokens: [Token] = []
        var escaped = false
        for scalar in pattern.unicodeScalars {
            if escaped {
                tokens.append(.scalar(caseInsensitive ? Self.fold(scalar) : scalar))
                escaped = false
                continue
            }
            switch scalar {
            case "\\":
                escaped = true
            case "%":
                if tokens.last != .many { tokens.append(.many) }
            case "_":
                tokens.append(.one)
            default:
                tokens.append(.scalar(caseInsensitive ? Self.fold(scalar) : scalar))
            }
        }
        if escaped { return nil }
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
        self.tokens = tokens
    }

    /// True when the whole of `text` matches the pattern.
    public func matches(_ text: String) -> Bool {
        let subject = text.unicodeScalars
        let end = subject.endIndex
        var s = subject.startIndex
        var p = 0
        // The most recent `%` and the text position it currently stands for; resumed on mismatch.
        var starToken = -1
        var starText = s
        while s < end {
            if p < tokens.count {
                switch tokens[p] {
                case .many:
                    starToken = p
                    starText = s
                    p += 1
                    continue
                case .one:
                    p += 1
                    s = subject.index(after: s)
                    continue
                case .scalar(let expected):
                    let actual = caseInsensitive ? Self.fold(subject[s]) : subject[s]
                    if actual == expected {
                        p += 1
                        s = subject.index(after: s)
                        continue
                    }
                }
            }
            guard starToken >= 0 else { return false }
            p = starToken + 1
            starText = subject.index(after: starText)
            s = starText
        }
        while p < tokens.count, tokens[p] == .many { p += 1 }
        return p == tokens.count
    }

    /// The lower-case form of one character, as Postgres' `lower()` maps it (ASCII without allocation).
    private static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII {
            guard ("A"..."Z").contains(scalar) else { return scalar }
            return Unicode.Scalar(scalar.value + 32) ?? scalar
        }
        guard scalar.properties.changesWhenLowercased else { return scalar }
        let mapped = scalar.properties.lowercaseMapping.unicodeScalars
        guard mapped.count == 1, let first = mapped.first else { return scalar }
        return first
    }
}
