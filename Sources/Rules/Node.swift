/// A compiled rule node: the rule's JSON turned into a tree of typed operations.
indirect enum Node: Sendable {
    /// A constant (a JSON primitive, a multi-key object, or an array with no logic inside).
    case literal(JSONValue)
    /// JavaScript `undefined`: a missing argument.
    case undefined
    /// An array containing logic: each element is evaluated.
    case array([Node])

    /// `var` with a path known at compile time. `fallback` is nil when there is no default.
    case variable(VariablePath, fallback: Node?)
    /// `var` whose path is computed at evaluation time.
    case dynamicVariable(path: Node, fallback: Node?)
    /// `missing` with literal keys.
    case missing([MissingKey])
    /// `missing` with computed keys.
    case dynamicMissing([Node])
    /// `missing_some`; `keys` is set when the options are a literal.
    case missingSome(need: Node, options: Node, keys: [MissingKey]?, path: String)

    case not(Node)
    case truthy(Node)
    case compare(CompareOp, Node, Node)
    /// A comparison between a variable (no default) and a constant, the shape of nearly every
    /// certification clause; `variableFirst` tells the operand order.
    case compareVariable(CompareOp, VariablePath, JSONValue, variableFirst: Bool)
    /// `<` / `<=` with a third argument (undefined at run time falls back to two-way).
    case between(strict: Bool, Node, Node, Node)

    case add([Node])
    case multiply([Node], path: String)
    /// `-`: unary when the second operand evaluates to undefined.
    case subtract(Node, Node)
    case divide(Node, Node)
    case modulo(Node, Node)
    case min([Node])
    case max([Node])

    case cat([Node])
    case substr(Node, Node, Node)
    case inOp(Node, Node)
    case merge([Node])

    case ifChain([Node])
    case and([Node])
    case or([Node])

    case iterate(IterateOp, source: Node, logic: Node)
    case reduce(source: Node, logic: Node, initial: Node?)

    case log(Node)
    /// An operation json-logic-js does not know: its arguments are evaluated, then it fails
    /// with `message` ("Unrecognized operation foo").
    case unknown(message: String, args: [Node], path: String)
    /// A fixed-arity operation given extra arguments: they are evaluated (for their errors and
    /// logs, as json-logic-js does) and ignored.
    case withExtras(Node, [Node])
}

/// A binary comparison operator.
enum CompareOp: Sendable {
    case looseEqual, strictEqual, looseNotEqual, strictNotEqual, less, lessOrEqual, greater, greaterOrEqual
}

/// An operator that applies scoped logic to each element of an array.
enum IterateOp: Sendable {
    case map, filter, all, none, some
}

/// A literal key of a `missing` operation with its pre-split path.
struct MissingKey: Sendable {
    /// The key as written, reported back when it is missing.
    let key: JSONValue
    /// The path read.
    let path: VariablePath
    /// Present when the key is an array `[path, default]`, as `{"var": key}` would read it.
    let fallback: JSONValue?
}
