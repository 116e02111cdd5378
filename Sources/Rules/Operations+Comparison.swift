/// The JsonLogic operations that need more than a line, with json-logic-js semantics.
enum Operations {}

extension Operations {
    /// `==`, `===`, `!=`, `!==`, `<`, `<=`, `>`, `>=` with JavaScript coercions.
    @inline(__always)
    static func compare(_ op: CompareOp, _ x: JSONValue?, _ y: JSONValue?) -> Bool {
        switch op {
        case .looseEqual: return JS.looseEquals(x, y)
        case .strictEqual: return JS.strictEquals(x, y)
        case .looseNotEqual: return !JS.looseEquals(x, y)
        case .strictNotEqual: return !JS.strictEquals(x, y)
        case .less: return JS.less(x, y)
        case .lessOrEqual: return JS.lessOrEqual(x, y)
        case .greater: return JS.greater(x, y)
        case .greaterOrEqual: return JS.greaterOrEqual(x, y)
        }
    }

    /// `{"<": [a, b, c]}` is `a < b && b < c`; when `c` is undefined it is just `a < b`.
    static func between(strict: Bool, _ x: JSONValue?, _ y: JSONValue?, _ z: JSONValue?) -> Bool {
        if strict {
            guard z != nil else { return JS.less(x, y) }
            return JS.less(x, y) && JS.less(y, z)
        }
        guard z != nil else { return JS.lessOrEqual(x, y) }
        return JS.lessOrEqual(x, y) && JS.lessOrEqual(y, z)
    }
}
