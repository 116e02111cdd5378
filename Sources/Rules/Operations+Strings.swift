extension Operations {
    /// `substr`: `String(source).substr(start, length)`; a negative length drops that many
    /// code units from the end (json-logic-js emulates PHP here).
    static func substr(_ source: JSONValue?, _ start: JSONValue?, _ end: JSONValue?) -> String {
        let s = JS.toString(source)
        if JS.less(end, .number(0)) {
            let temp = substrCore(s, start, nil)
            let count = temp.utf16.count
            let length: JSONValue
            if case .number(let e)? = end {
                length = .number(Double(count) + e)
            } else {
                // `temp.length + end` concatenates when `end` is not a number.
                length = .string(String(count) + JS.toString(end))
            }
            return substrCore(temp, .number(0), length)
        }
        return substrCore(s, start, end)
    }

    /// `String.prototype.substr(start, length)` on UTF-16 code units.
    static func substrCore(_ s: String, _ start: JSONValue?, _ length: JSONValue?) -> String {
        let units = Array(s.utf16)
        let size = Double(units.count)
        var from = JS.toIntegerOrInfinity(JS.toNumber(start))
        if from == -.infinity {
            from = 0
        } else if from < 0 {
            from = Swift.max(size + from, 0)
        } else {
            from = Swift.min(from, size)
        }
        var count = length == nil ? size : JS.toIntegerOrInfinity(JS.toNumber(length))
        count = Swift.min(Swift.max(count, 0), size)
        let to = Swift.min(from + count, size)
        guard from < to else { return "" }
        return String(decoding: units[Int(from)..<Int(to)], as: UTF16.self)
    }

    /// `in`: substring test on a string, strict-equality membership on an array, else false.
    static func contains(_ haystack: JSONValue?, _ needle: JSONValue?) -> Bool {
        switch haystack {
        case .string(let s)?:
            return !s.isEmpty && JS.contains(s, JS.toString(needle))
        case .array(let a)?:
            return a.contains { JS.strictEquals($0, needle) }
        default:
            return false
        }
    }
}
