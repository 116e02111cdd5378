/// JavaScript's abstract operations (ToNumber, ToString, `==`, `<`, …) over JSON values.
///
/// `nil` stands for JavaScript's `undefined`, which json-logic-js produces for missing arguments.
enum JS {
    // MARK: Truthiness

    /// JsonLogic truthiness: JavaScript's `!!value`, except that an empty array is falsy.
    @inline(__always)
    static func truthy(_ v: JSONValue?) -> Bool {
        guard let v else { return false }
        switch v {
        case .null: return false
        case .bool(let b): return b
        case .number(let d): return d != 0 && !d.isNaN
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object: return true
        }
    }

    // MARK: ToPrimitive / ToString

    /// ToPrimitive with the default hint: arrays become their `join(",")`, objects "[object Object]".
    static func toPrimitive(_ v: JSONValue?) -> JSONValue? {
        switch v {
        case .array(let a)?: return .string(join(a, separator: ","))
        case .object?: return .string("[object Object]")
        default: return v
        }
    }

    /// `Array.prototype.join`: null and undefined elements become empty strings.
    static func join(_ elements: [JSONValue], separator: String) -> String {
        var out = ""
        for (i, e) in elements.enumerated() {
            if i > 0 { out += separator }
            if case .null = e { continue }
            out += toString(e)
        }
        return out
    }

    /// JavaScript `String(value)`.
    static func toString(_ v: JSONValue?) -> String {
        guard let v else { return "undefined" }
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return numberToString(d)
        case .string(let s): return s
        case .array(let a): return join(a, separator: ",")
        case .object: return "[object Object]"
        }
    }

    /// JavaScript `Number.prototype.toString()` (shortest round-trip digits, JS layout rules).
    static func numberToString(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return "0" }
        if d.magnitude < 1e15, d == d.rounded(.towardZero) { return String(Int64(d)) }
        let negative = d < 0
        // Swift's description also prints the shortest round-trip digits; only the layout differs.
        let text = d.magnitude.description
        var digits: [UInt8] = []
        var pointPosition = 0
        var seenPoint = false
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for c in text.utf8 {
            if inExponent {
                if c == UInt8(ascii: "-") {
                    exponentNegative = true
                } else if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                    exponent = exponent * 10 + Int(c - UInt8(ascii: "0"))
                }
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                inExponent = true
            } else if c == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                digits.append(c)
                if !seenPoint { pointPosition += 1 }
            }
        }
        if exponentNegative { exponent = -exponent }
        var lead = 0
        while lead < digits.count - 1, digits[lead] == UInt8(ascii: "0") {
            lead += 1
            pointPosition -= 1
        }
        digits.removeFirst(lead)
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        let k = digits.count
        let n = pointPosition + exponent
        var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        let zero = UInt8(ascii: "0")
        if k <= n, n <= 21 {
            out += digits
            out += [UInt8](repeating: zero, count: n - k)
        } else if n > 0, n <= 21 {
            out += digits[0..<n]
            out.append(UInt8(ascii: "."))
            out += digits[n...]
        } else if n > -6, n <= 0 {
            out += [zero, UInt8(ascii: ".")]
            out += [UInt8](repeating: zero, count: -n)
            out += digits
        } else {
            let e = n - 1
            out.append(digits[0])
            if k > 1 {
                out.append(UInt8(ascii: "."))
                out += digits[1...]
            }
            out.append(UInt8(ascii: "e"))
            out.append(e < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            out += String(e.magnitude).utf8
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: ToNumber / parseFloat

    /// JavaScript `Number(value)`.
    static func toNumber(_ v: JSONValue?) -> Double {
        guard let v else { return .nan }
        switch v {
        case .null: return 0
        case .bool(let b): return b ? 1 : 0
        case .number(let d): return d
        case .string(let s): return stringToNumber(s)
        case .array(let a):
            if a.isEmpty { return 0 }
            return stringToNumber(join(a, separator: ","))
        case .object: return .nan
        }
    }

    /// WhiteSpace and LineTerminator code points, as trimmed by `Number()` and `parseFloat()`.
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
            0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    private static func trimmed(_ s: String, trailing: Bool) -> Substring.UnicodeScalarView {
        var scalars = Substring(s).unicodeScalars
        while let first = scalars.first, isWhitespace(first) { scalars.removeFirst() }
        if trailing {
            while let last = scalars.last, isWhitespace(last) { scalars.removeLast() }
        }
        return scalars
    }

    /// JavaScript StringToNumber: trimmed decimal, `0x`/`0o`/`0b` integers, `Infinity`; "" is 0; else NaN.
    static func stringToNumber(_ s: String) -> Double {
        // Fast path: short plain digit strings.
        let utf8 = s.utf8
        if !utf8.isEmpty, utf8.count <= 15, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            var v = 0
            for c in utf8 { v = v * 10 + Int(c - 0x30) }
            return Double(v)
        }
        let body = Array(Substring(trimmed(s, trailing: true)).utf8)
        if body.isEmpty { return 0 }
        if body.count > 2, body[0] == UInt8(ascii: "0") {
            let radix: Int?
            switch body[1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): radix = 16
            case UInt8(ascii: "o"), UInt8(ascii: "O"): radix = 8
            case UInt8(ascii: "b"), UInt8(ascii: "B"): radix = 2
            default: radix = nil
            }
            if let radix {
                var value = 0.0
                for c in body[2...] {
                    guard let digit = hexDigitValue(c), digit < radix else { return .nan }
                    value = value * Double(radix) + Double(digit)
                }
                return value
            }
        }
        var i = 0
        var negative = false
        if body[0] == UInt8(ascii: "+") || body[0] == UInt8(ascii: "-") {
            negative = body[0] == UInt8(ascii: "-")
            i = 1
        }
        if body[i...].elementsEqual("Infinity".utf8) { return negative ? -.infinity : .infinity }
        guard let end = decimalPrefixEnd(body, from: i), end == body.count else { return .nan }
        return Double(String(decoding: body, as: UTF8.self)) ?? .nan
    }

    private static func hexDigitValue(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(c - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(c - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    /// The end of the longest StrUnsignedDecimalLiteral starting at `start` (no "Infinity"), or nil.
    private static func decimalPrefixEnd(_ b: [UInt8], from start: Int) -> Int? {
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        var i = start
        var mantissaDigits = 0
        while i < b.count, isDigit(b[i]) {
            i += 1
            mantissaDigits += 1
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            var j = i + 1
            var fraction = 0
            while j < b.count, isDigit(b[j]) {
                j += 1
                fraction += 1
            }
            if mantissaDigits + fraction > 0 {
                i = j
                mantissaDigits += fraction
            }
        }
        guard mantissaDigits > 0 else { return nil }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            var j = i + 1
            if j < b.count, b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-") { j += 1 }
            if j < b.count, isDigit(b[j]) {
                while j < b.count, isDigit(b[j]) { j += 1 }
                i = j
            }
        }
        return i
    }

    /// JavaScript `parseFloat(value)`: the longest decimal prefix of `String(value)`, else NaN.
    static func parseFloat(_ v: JSONValue?) -> Double {
        switch v {
        case .number(let d)?: return d == 0 ? 0 : d  // String(-0) is "0"
        case .string(let s)?: return parseFloat(string: s)
        case .array?: return parseFloat(string: toString(v))
        default: return .nan  // undefined, null, booleans, objects
        }
    }

    static func parseFloat(string s: String) -> Double {
        let body = Array(Substring(trimmed(s, trailing: false)).utf8)
        guard !body.isEmpty else { return .nan }
        var i = 0
        var negative = false
        if body[0] == UInt8(ascii: "+") || body[0] == UInt8(ascii: "-") {
            negative = body[0] == UInt8(ascii: "-")
            i = 1
        }
        if body[i...].starts(with: "Infinity".utf8) { return negative ? -.infinity : .infinity }
        guard let end = decimalPrefixEnd(body, from: i) else { return .nan }
        return Double(String(decoding: body[0..<end], as: UTF8.self)) ?? .nan
    }

    /// ToIntegerOrInfinity applied to a number.
    static func toIntegerOrInfinity(_ d: Double) -> Double {
        if d.isNaN { return 0 }
        if d.isInfinite { return d }
        let t = d.rounded(.towardZero)
        return t == 0 ? 0 : t
    }

    // MARK: Equality and relations

    /// Equality of strings by UTF-16 code units, as JavaScript compares them (no Unicode normalization).
    @inline(__always)
    static func stringEquals(_ a: String, _ b: String) -> Bool {
        let x = a.utf8
        let y = b.utf8
        guard x.count == y.count else { return false }
        if let r = x.withContiguousStorageIfAvailable({ px in
            y.withContiguousStorageIfAvailable({ py in bytesEqual(UnsafeRawBufferPointer(px), UnsafeRawBufferPointer(py)) })
        }), let r {
            return r
        }
        return x.elementsEqual(y)
    }

    /// Byte equality of two buffers of the same length, eight bytes at a time.
    @inline(__always)
    static func bytesEqual(_ p: UnsafeRawBufferPointer, _ q: UnsafeRawBufferPointer) -> Bool {
        let n = p.count
        var i = 0
        while i + 8 <= n {
            if p.loadUnaligned(fromByteOffset: i, as: UInt64.self) != q.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if p[i] != q[i] { return false }
            i += 1
        }
        return true
    }

    /// JavaScript `a == b` (IsLooselyEqual). Distinct arrays/objects are never equal (reference semantics).
    static func looseEquals(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let a, let b else {
            // undefined == undefined, undefined == null
            return (a ?? .null).isNull && (b ?? .null).isNull
        }
        switch (a, b) {
        case (.string(let x), .string(let y)): return stringEquals(x, y)
        case (.number(let x), .number(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.number(let x), .string(let y)): return x == stringToNumber(y)
        case (.string(let x), .number(let y)): return stringToNumber(x) == y
        case (.bool(let x), _): return looseEquals(.number(x ? 1 : 0), b)
        case (_, .bool(let y)): return looseEquals(a, .number(y ? 1 : 0))
        case (.array, .array), (.array, .object), (.object, .array), (.object, .object): return false
        case (.array, _), (.object, _): return looseEquals(toPrimitive(a), b)
        case (_, .array), (_, .object): return looseEquals(a, toPrimitive(b))
        default: return false
        }
    }

    /// JavaScript `a === b`. Distinct arrays/objects are never identical.
    static func strictEquals(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return stringEquals(x, y)
        default: return false
        }
    }

    /// JavaScript `a < b` (IsLessThan); nil when the answer is "undefined" (a NaN was involved).
    static func lessThan(_ a: JSONValue?, _ b: JSONValue?) -> Bool? {
        if case .number(let x)? = a, case .number(let y)? = b {
            if x.isNaN || y.isNaN { return nil }
            return x < y
        }
        let pa = toPrimitive(a)
        let pb = toPrimitive(b)
        if case .string(let x)? = pa, case .string(let y)? = pb {
            return x.utf16.lexicographicallyPrecedes(y.utf16)
        }
        let nx = toNumber(pa)
        let ny = toNumber(pb)
        if nx.isNaN || ny.isNaN { return nil }
        return nx < ny
    }

    /// `a < b`
    static func less(_ a: JSONValue?, _ b: JSONValue?) -> Bool { lessThan(a, b) ?? false }

    /// `a > b`
    static func greater(_ a: JSONValue?, _ b: JSONValue?) -> Bool { lessThan(b, a) ?? false }

    /// `a <= b`
    static func lessOrEqual(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let r = lessThan(b, a) else { return false }
        return !r
    }

    /// `a >= b`
    static func greaterOrEqual(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let r = lessThan(a, b) else { return false }
        return !r
    }

    // MARK: Strings

    /// `haystack.indexOf(needle) !== -1` on strings (code-unit substring search).
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        let hv = haystack.utf8
        let nv = needle.utf8
        if nv.isEmpty { return true }
        if nv.count > hv.count { return false }
        if let r = hv.withContiguousStorageIfAvailable({ h in
            nv.withContiguousStorageIfAvailable({ n in bytesContain(h, n) })
        }), let r {
            return r
        }
        return Array(hv).withUnsafeBufferPointer { h in Array(nv).withUnsafeBufferPointer { n in bytesContain(h, n) } }
    }

    private static func bytesContain(_ h: UnsafeBufferPointer<UInt8>, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
        let first = n[0]
        let last = h.count - n.count
        var i = 0
        while i <= last {
            if h[i] == first {
                var k = 1
                while k < n.count, h[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            i += 1
        }
        return false
    }
}

extension JSONValue {
    /// JsonLogic truthiness of the value (JavaScript truthiness, except that `[]` is falsy).
    public var isTruthy: Bool { JS.truthy(self) }
}
