/// Turns a rule's JSON into a `Node` tree, validating it and collecting the variables it reads.
struct RuleCompiler {
    /// Whether a node is evaluated against the rule's input or against an element of
    /// `map`/`filter`/`reduce`/`all`/`none`/`some`.
    enum Scope {
        case root, element
    }

    /// How many arguments an operation accepts under strict arity.
    enum Arity {
        case exactly(Int)
        case range(Int, Int)
        case atLeast(Int)

        func accepts(_ n: Int) -> Bool {
            switch self {
            case .exactly(let k): return n == k
            case .range(let lo, let hi): return n >= lo && n <= hi
            case .atLeast(let k): return n >= k
            }
        }

        var text: String {
            switch self {
            case .exactly(let k): return "\(k) argument\(k == 1 ? "" : "s")"
            case .range(let lo, let hi): return "\(lo) or \(hi) arguments"
            case .atLeast(let k): return "at least \(k) argument\(k == 1 ? "" : "s")"
            }
        }
    }

    /// Every operation json-logic-js provides, with its arity under strict checking.
    static let operations: [String: Arity] = [
        "==": .exactly(2), "===": .exactly(2), "!=": .exactly(2), "!==": .exactly(2),
        ">": .exactly(2), ">=": .exactly(2), "<": .range(2, 3), "<=": .range(2, 3),
        "!": .exactly(1), "!!": .exactly(1),
        "and": .atLeast(1), "or": .atLeast(1), "if": .atLeast(1), "?:": .exactly(3),
        "+": .atLeast(1), "*": .atLeast(1), "-": .range(1, 2), "/": .exactly(2), "%": .exactly(2),
        "min": .atLeast(1), "max": .atLeast(1),
        "cat": .atLeast(1), "substr": .range(2, 3), "in": .exactly(2), "merge": .atLeast(0),
        "var": .range(1, 2), "missing": .atLeast(1), "missing_some": .exactly(2),
        "map": .exactly(2), "filter": .exactly(2), "all": .exactly(2), "none": .exactly(2), "some": .exactly(2),
        "reduce": .range(2, 3),
        "log": .exactly(1),
    ]

    let options: RuleOptions
    let namespaces: [String]?
    private(set) var paths: [VariablePath] = []
    private var slotByPath: [VariablePath: Int] = [:]
    private(set) var hasDynamicVariables = false
    /// Slots read by each clause of a top-level `and`.
    private(set) var clauseSlots: [[Int]] = []
    private var currentClause: Int?

    init(options: RuleOptions) {
        self.options = options
        if case .certification(let ns) = options.mode {
            namespaces = ns
        } else {
            namespaces = nil
        }
    }

    // MARK: Entry point

    mutating func compileRule(_ rule: JSONValue) throws(RuleError) -> Node {
        if namespaces != nil {
            let found: String
            switch rule {
            case .object(let o) where o.count == 1: found = ""
            case .object(let o) where o.isEmpty: found = "an empty object"
            case .object(let o): found = "an object with \(o.count) keys"
            case .array: found = "an array"
            default: found = "a bare \(rule.kindName)"
            }
            if !found.isEmpty {
                throw RuleError(
                    .malformedRule,
                    "a certification rule must be an operation object such as {\"and\": [...]}, found \(found)",
                    path: "$")
            }
        }
        return try compile(rule, path: "$", depth: 0, scope: .root)
    }

    // MARK: Values

    mutating func compile(_ value: JSONValue, path: String, depth: Int, scope: Scope) throws(RuleError) -> Node {
        guard depth <= options.maxDepth else {
            throw RuleError(.tooDeep, "rule nests deeper than \(options.maxDepth) levels", path: path)
        }
        switch value {
        case .array(let elements):
            var nodes: [Node] = []
            nodes.reserveCapacity(elements.count)
            var allLiteral = true
            for (i, e) in elements.enumerated() {
                let node = try compile(e, path: path + "[\(i)]", depth: depth + 1, scope: scope)
                if case .literal = node {} else { allLiteral = false }
                nodes.append(node)
            }
            return allLiteral ? .literal(value) : .array(nodes)
        case .object(let o):
            guard o.count == 1 else {
                if namespaces != nil {
                    throw RuleError(
                        .malformedRule,
                        "an object with \(o.count) keys is not an operation (an operation has exactly one key); "
                            + "literal objects are not allowed in certification rules",
                        path: path)
                }
                return .literal(value)
            }
            return try compileOperation(o.keys[0], o.values[0], path: path, depth: depth, scope: scope)
        default:
            return .literal(value)
        }
    }

    static func pathKey(_ key: String) -> String {
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy { s in
            s.value > 0x20 && s != "." && s != "[" && s != "]" && s != "\"" && s != "'" && s.value != 0x7F
        }
        if plain { return "." + key }
        var out: [UInt8] = []
        JSONValue.writeString(key, to: &out)
        return "[" + String(decoding: out, as: UTF8.self) + "]"
    }

    // MARK: Operations

    /// Arguments of one operation, compiled on demand.
    private struct Args {
        let raw: [JSONValue]
        let opPath: String
        let sugared: Bool  // `{"op": x}` rather than `{"op": [x]}`
        let depth: Int

        func path(_ i: Int) -> String { sugared ? opPath : opPath + "[\(i)]" }
        var count: Int { raw.count }
    }

    private mutating func arg(_ i: Int, _ a: Args, _ scope: Scope) throws(RuleError) -> Node {
        guard i < a.count else { return .undefined }
        return try compile(a.raw[i], path: a.path(i), depth: a.depth, scope: scope)
    }

    private mutating func allArgs(_ a: Args, _ scope: Scope) throws(RuleError) -> [Node] {
        var nodes: [Node] = []
        nodes.reserveCapacity(a.count)
        for i in 0..<a.count { nodes.append(try arg(i, a, scope)) }
        return nodes
    }

    /// Wraps `node` with the arguments past `used`, which json-logic-js evaluates and ignores.
    private mutating func withExtras(_ node: Node, _ a: Args, used: Int, _ scope: Scope) throws(RuleError) -> Node {
        guard a.count > used else { return node }
        var extras: [Node] = []
        for i in used..<a.count {
            let n = try arg(i, a, scope)
            if case .literal = n { continue }
            extras.append(n)
        }
        return extras.isEmpty ? node : .withExtras(node, extras)
    }

    private mutating func compileOperation(
        _ op: String, _ rawValues: JSONValue, path: String, depth: Int, scope: Scope
    ) throws(RuleError) -> Node {
        let opPath = path + Self.pathKey(op)
        let a: Args
        if case .array(let elements) = rawValues {
            guard depth + 1 <= options.maxDepth else {
                throw RuleError(.tooDeep, "rule nests deeper than \(options.maxDepth) levels", path: opPath)
            }
            a = Args(raw: elements, opPath: opPath, sugared: false, depth: depth + 2)
        } else {
            a = Args(raw: [rawValues], opPath: opPath, sugared: true, depth: depth + 1)
        }

        guard let arity = Self.operations[op] else {
            if namespaces != nil {
                throw RuleError(.unknownOperation, "unknown operation '\(op)'", path: opPath)
            }
            return .unknown(message: Self.unrecognizedMessage(op), args: try allArgs(a, scope), path: opPath)
        }
        if options.strictArity, !arity.accepts(a.count) {
            throw RuleError(.arity, "operator '\(op)' takes \(arity.text), got \(a.count)", path: opPath)
        }

        switch op {
        case "var":
            return try compileVar(a, scope)
        case "missing":
            let nodes = try allArgs(a, scope)
            if let values = Self.literals(nodes) {
                // json-logic-js: one array argument is the key list; otherwise the arguments are.
                let keys: [JSONValue]
                if case .array(let list)? = values.first { keys = list } else { keys = values }
                var compiled: [MissingKey] = []
                for key in keys { compiled.append(try missingKey(key, scope, path: opPath)) }
                return .missing(compiled)
            }
            try noteDynamic(scope, path: opPath, what: "'missing' keys")
            return .dynamicMissing(nodes)
        case "missing_some":
            let need = try arg(0, a, scope)
            let optionsNode = try arg(1, a, scope)
            var keys: [MissingKey]?
            if case .literal(let optionsValue) = optionsNode {
                let list: [JSONValue]
                if case .array(let elements) = optionsValue {
                    if case .array(let inner)? = elements.first { list = inner } else { list = elements }
                } else {
                    list = [optionsValue]
                }
                var compiled: [MissingKey] = []
                for key in list { compiled.append(try missingKey(key, scope, path: opPath)) }
                keys = compiled
            } else {
                try noteDynamic(scope, path: opPath, what: "'missing_some' keys")
            }
            return try withExtras(.missingSome(need: need, options: optionsNode, keys: keys, path: opPath), a, used: 2, scope)
        case "if", "?:":
            return .ifChain(try allArgs(a, scope))
        case "and":
            if path == "$", clauseSlots.isEmpty {
                var nodes: [Node] = []
                clauseSlots = Array(repeating: [], count: a.count)
                for i in 0..<a.count {
                    currentClause = i
                    nodes.append(try arg(i, a, scope))
                }
                currentClause = nil
                return .and(nodes)
            }
            return .and(try allArgs(a, scope))
        case "or":
            return .or(try allArgs(a, scope))
        case "!":
            return try withExtras(.not(try arg(0, a, scope)), a, used: 1, scope)
        case "!!":
            return try withExtras(.truthy(try arg(0, a, scope)), a, used: 1, scope)
        case "==", "===", "!=", "!==", ">", ">=":
            let cmp: CompareOp
            switch op {
            case "==": cmp = .looseEqual
            case "===": cmp = .strictEqual
            case "!=": cmp = .looseNotEqual
            case "!==": cmp = .strictNotEqual
            case ">": cmp = .greater
            default: cmp = .greaterOrEqual
            }
            let node = Self.fuse(cmp, try arg(0, a, scope), try arg(1, a, scope))
            return try withExtras(node, a, used: 2, scope)
        case "<", "<=":
            let strict = op == "<"
            if a.count >= 3 {
                let node = Node.between(
                    strict: strict, try arg(0, a, scope), try arg(1, a, scope), try arg(2, a, scope))
                return try withExtras(node, a, used: 3, scope)
            }
            return Self.fuse(strict ? .less : .lessOrEqual, try arg(0, a, scope), try arg(1, a, scope))
        case "+":
            return .add(try allArgs(a, scope))
        case "*":
            return .multiply(try allArgs(a, scope), path: opPath)
        case "-":
            return try withExtras(.subtract(try arg(0, a, scope), try arg(1, a, scope)), a, used: 2, scope)
        case "/":
            return try withExtras(.divide(try arg(0, a, scope), try arg(1, a, scope)), a, used: 2, scope)
        case "%":
            return try withExtras(.modulo(try arg(0, a, scope), try arg(1, a, scope)), a, used: 2, scope)
        case "min":
            return .min(try allArgs(a, scope))
        case "max":
            return .max(try allArgs(a, scope))
        case "cat":
            return .cat(try allArgs(a, scope))
        case "substr":
            let node = Node.substr(try arg(0, a, scope), try arg(1, a, scope), try arg(2, a, scope))
            return try withExtras(node, a, used: 3, scope)
        case "in":
            return try withExtras(.inOp(try arg(0, a, scope), try arg(1, a, scope)), a, used: 2, scope)
        case "merge":
            return .merge(try allArgs(a, scope))
        case "map", "filter", "all", "none", "some":
            let kind: IterateOp
            switch op {
            case "map": kind = .map
            case "filter": kind = .filter
            case "all": kind = .all
            case "none": kind = .none
            default: kind = .some
            }
            // Extra arguments are never evaluated by json-logic-js for these.
            return .iterate(kind, source: try arg(0, a, scope), logic: try arg(1, a, .element))
        case "reduce":
            let source = try arg(0, a, scope)
            let logic = try arg(1, a, .element)
            let initial: Node? = a.count > 2 ? try arg(2, a, scope) : nil
            return .reduce(source: source, logic: logic, initial: initial)
        case "log":
            return try withExtras(.log(try arg(0, a, scope)), a, used: 1, scope)
        default:
            // Every key of `operations` is handled above.
            throw RuleError(.unknownOperation, "unknown operation '\(op)'", path: opPath)
        }
    }

    /// A comparison node, fused into `compareVariable` when it compares a plain variable with a constant.
    static func fuse(_ op: CompareOp, _ lhs: Node, _ rhs: Node) -> Node {
        switch (lhs, rhs) {
        case (.variable(let p, nil), .literal(let v)) where !p.isWholeData:
            return .compareVariable(op, p, v, variableFirst: true)
        case (.literal(let v), .variable(let p, nil)) where !p.isWholeData:
            return .compareVariable(op, p, v, variableFirst: false)
        default:
            return .compare(op, lhs, rhs)
        }
    }

    /// json-logic-js's message for an operation it cannot find.
    static func unrecognizedMessage(_ op: String) -> String {
        let parts = op.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count > 1, !parts[0].isEmpty {
            // It walks dotted names through its operation table; no operation has members.
            let failedAt = operations[String(parts[0])] == nil ? parts[0] : parts[0] + "." + parts[1]
            return "Unrecognized operation \(op) (failed at \(failedAt))"
        }
        return "Unrecognized operation \(op)"
    }

    private static func literals(_ nodes: [Node]) -> [JSONValue]? {
        var values: [JSONValue] = []
        values.reserveCapacity(nodes.count)
        for n in nodes {
            guard case .literal(let v) = n else { return nil }
            values.append(v)
        }
        return values
    }

    // MARK: Variables

    private mutating func compileVar(_ a: Args, _ scope: Scope) throws(RuleError) -> Node {
        let pathNode = try arg(0, a, scope)
        let fallback: Node? = a.count > 1 ? try arg(1, a, scope) : nil
        let node: Node
        switch pathNode {
        case .undefined:
            node = .variable(try register(VariablePath.fromJS(nil), scope, path: a.opPath), fallback: fallback)
        case .literal(let v):
            node = .variable(try register(VariablePath.fromJS(v), scope, path: a.opPath), fallback: fallback)
        default:
            try noteDynamic(scope, path: a.opPath, what: "a 'var' path")
            node = .dynamicVariable(path: pathNode, fallback: fallback)
        }
        return try withExtras(node, a, used: 2, scope)
    }

    private mutating func missingKey(_ key: JSONValue, _ scope: Scope, path: String) throws(RuleError) -> MissingKey {
        // json-logic-js reads each key with {"var": key}; an array key is [path, default].
        if case .array(let parts) = key {
            let p = try register(VariablePath.fromJS(parts.first), scope, path: path)
            return MissingKey(key: key, path: p, fallback: parts.count > 1 ? parts[1] : nil)
        }
        return MissingKey(key: key, path: try register(VariablePath.fromJS(key), scope, path: path), fallback: nil)
    }

    private mutating func noteDynamic(_ scope: Scope, path: String, what: String) throws(RuleError) {
        guard scope == .root else { return }
        if namespaces != nil {
            throw RuleError(
                .malformedRule, "\(what) must be a literal in certification rules (it cannot be checked)", path: path)
        }
        hasDynamicVariables = true
    }

    /// Checks a root-scope path against the namespaces and gives it a slot.
    private mutating func register(_ p: VariablePath, _ scope: Scope, path: String) throws(RuleError) -> VariablePath {
        guard scope == .root else { return p }
        if let namespaces {
            let ok = !p.isWholeData && namespaces.contains { ns in p.text.hasPrefix(ns) && p.text.count > ns.count }
            if !ok {
                let shown = p.isWholeData ? "the whole data (\"\")" : "'\(p.text)'"
                throw RuleError(
                    .namespace,
                    "variable \(shown) is outside the allowed namespaces (\(namespaces.joined(separator: ", ")))",
                    path: path)
            }
        }
        let slot: Int
        if let s = slotByPath[p] {
            slot = s
        } else {
            slot = paths.count
            paths.append(p.withSlot(slot))
            slotByPath[p] = slot
        }
        if let c = currentClause, !clauseSlots[c].contains(slot) { clauseSlots[c].append(slot) }
        return paths[slot]
    }
}
