import Foundation

/// A dataset-name filter with SQL `SIMILAR TO` semantics, as the Run Registry's JSON portal uses.
///
/// The whole name must match (the pattern is anchored). `_` matches one character, `%` any
/// sequence; `|`, `*`, `+`, `?`, `{m,n}`, `(...)` and `[...]` work as in regular expressions;
/// `\` escapes the next character. Every other character, including `.`, matches itself.
///
/// ```swift
/// let filter = try DatasetNameFilter("/PromptReco/Collisions2024(A|B|C)/DQM")
/// filter.matches("/PromptReco/Collisions2024B/DQM")   // true
/// ```
public struct DatasetNameFilter: Sendable {
    /// The pattern as written.
    public let pattern: String
    private let regex: RegexBox

    /// Compiles a pattern; a malformed one throws ``FilterError`` naming the position and problem.
    public init(_ pattern: String) throws(FilterError) {
        self.pattern = pattern
        var translated = "^(?:"
        var depth = 0
        var inBracket = false
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if inBracket {
                if c == "]" { inBracket = false }
                if c == "\\" {
                    guard i + 1 < chars.count else {
                        throw FilterError(pattern: pattern, position: i, problem: "'\\' at the end escapes nothing")
                    }
                    translated += "\\" + String(chars[i + 1])
                    i += 2
                    continue
                }
                translated.append(c)
                i += 1
                continue
            }
            switch c {
            case "%": translated += ".*"
            case "_": translated += "."
            case "(":
                depth += 1
                translated += "(?:"
            case ")":
                guard depth > 0 else {
                    throw FilterError(pattern: pattern, position: i, problem: "')' without a matching '('")
                }
                depth -= 1
                translated += ")"
            case "[":
                guard chars[(i + 1)...].contains("]") else {
                    throw FilterError(pattern: pattern, position: i, problem: "'[' without a closing ']'")
                }
                inBracket = true
                translated += "["
                if i + 1 < chars.count && chars[i + 1] == "]" {
                    throw FilterError(pattern: pattern, position: i, problem: "an empty bracket expression '[]'")
                }
            case "|", "*", "+", "?":
                let previous = i > 0 ? chars[i - 1] : nil
                if c != "|" && (previous == nil || previous == "(" || previous == "|") {
                    throw FilterError(pattern: pattern, position: i, problem: "'\(c)' has nothing to repeat")
                }
                translated.append(c)
            case "{":
                guard let close = chars[i...].firstIndex(of: "}"),
                    String(chars[(i + 1)..<close]).range(of: "^[0-9]+(,[0-9]*)?$", options: .regularExpression) != nil,
                    i > 0
                else {
                    throw FilterError(pattern: pattern, position: i, problem: "'{' must be a repetition like {2} or {1,3}")
                }
                translated += String(chars[i...close])
                i = close + 1
                continue
            case "\\":
                guard i + 1 < chars.count else {
                    throw FilterError(pattern: pattern, position: i, problem: "'\\' at the end escapes nothing")
                }
                translated += NSRegularExpression.escapedPattern(for: String(chars[i + 1]))
                i += 2
                continue
            default:
                translated += NSRegularExpression.escapedPattern(for: String(c))
            }
            i += 1
        }
        guard depth == 0 else {
            throw FilterError(pattern: pattern, position: chars.count, problem: "\(depth) '(' not closed")
        }
        guard !inBracket else {
            throw FilterError(pattern: pattern, position: chars.count, problem: "'[' not closed")
        }
        translated += ")$"
        do {
            regex = RegexBox(try NSRegularExpression(pattern: translated, options: [.dotMatchesLineSeparators]))
        } catch {
            throw FilterError(pattern: pattern, position: 0, problem: "not a valid SIMILAR TO pattern")
        }
    }

    /// Whether the whole `name` matches.
    public func matches(_ name: String) -> Bool {
        let range = NSRange(name.startIndex..<name.endIndex, in: name)
        return regex.value.firstMatch(in: name, options: [], range: range) != nil
    }
}

/// A malformed dataset-name filter: the pattern, where, and what was wrong.
public struct FilterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pattern.
    public let pattern: String
    /// The character position of the problem.
    public let position: Int
    /// What was wrong.
    public let problem: String

    public var description: String {
        "dataset filter '\(pattern)' at character \(position + 1): \(problem) (SIMILAR TO: _ one character, % any, (a|b), [abc], *, +, ?)"
    }
}

/// Holds a compiled regular expression; `NSRegularExpression` is immutable and safe to share.
final class RegexBox: @unchecked Sendable {
    let value: NSRegularExpression
    init(_ value: NSRegularExpression) { self.value = value }
}
