extension Operations {
    /// `*`: `args.reduce((a, b) => parseFloat(a) * parseFloat(b))`; one argument is returned as is,
    /// none is a TypeError in JavaScript.
    static func multiply(_ values: [JSONValue?], path: String) throws(RuleError) -> JSONValue? {
        guard let first = values.first else {
            throw RuleError(.evaluation, "Reduce of empty array with no initial value", path: path)
        }
        if values.count == 1 { return first }
        var product = JS.parseFloat(first) * JS.parseFloat(values[1])
        for v in values.dropFirst(2) {
            // parseFloat of the running product: String(-0) is "0".
            product = (product == 0 ? 0 : product) * JS.parseFloat(v)
        }
        return .number(product)
    }

    /// `-`: negation when the second operand is undefined, else `Number(a) - Number(b)`.
    static func subtract(_ x: JSONValue?, _ y: JSONValue?) -> Double {
        guard y != nil else { return -JS.toNumber(x) }
        return JS.toNumber(x) - JS.toNumber(y)
    }

    /// `Math.min(...)`: Infinity for no arguments, NaN if any argument is not a number.
    static func minimum(_ values: [JSONValue?]) -> Double {
        var result = Double.infinity
        for v in values {
            let d = JS.toNumber(v)
            if d.isNaN { return .nan }
            if d < result || (d == 0 && result == 0 && d.sign == .minus) { result = d }
        }
        return result
    }

    /// `Math.max(...)`: -Infinity for no arguments, NaN if any argument is not a number.
    static func maximum(_ values: [JSONValue?]) -> Double {
        var result = -Double.infinity
        for v in values {
            let d = JS.toNumber(v)
            if d.isNaN { return .nan }
            if d > result || (d == 0 && result == 0 && d.sign == .plus) { result = d }
        }
        return result
    }
}
