/// The data a node reads its variables from.
enum Scope {
    /// The rule's input.
    case root
    /// An element inside `map`/`filter`/`all`/`none`/`some`, or `{current, accumulator}` in `reduce`.
    case local(JSONValue)
}

/// Walks a compiled `Node` tree against one input. `nil` results are JavaScript `undefined`.
struct Evaluator {
    let input: any RuleInput
    let logHandler: (@Sendable (JSONValue) -> Void)?

    // MARK: Dispatch

    func eval(_ node: Node, _ scope: Scope) throws(RuleError) -> JSONValue? {
        switch node {
        case .literal(let v):
            return v
        case .undefined:
            return nil
        case .array(let nodes):
            var out: [JSONValue] = []
            out.reserveCapacity(nodes.count)
            for n in nodes { out.append(try eval(n, scope) ?? .null) }
            return .array(out)

        case .variable(let path, let fallback):
            let found = lookup(path, scope)
            if path.isWholeData { return found ?? .null }
            guard let fallback else { return found ?? .null }
            // json-logic-js evaluates the default even when it is not used.
            let defaultValue = try eval(fallback, scope)
            return found ?? defaultValue ?? .null
        case .dynamicVariable(let pathNode, let fallback):
            let p = try eval(pathNode, scope)
            let defaultValue = try fallback.map { n throws(RuleError) in try eval(n, scope) } ?? nil
            let path = VariablePath.fromJS(p)
            let found = lookup(path, scope)
            if path.isWholeData { return found ?? .null }
            return found ?? defaultValue ?? .null
        case .missing(let keys):
            return .array(missing(keys, scope))
        case .dynamicMissing(let nodes):
            var args: [JSONValue?] = []
            for n in nodes { args.append(try eval(n, scope)) }
            return .array(missing(Self.missingKeys(fromArguments: args), scope))
        case .missingSome(let needNode, let optionsNode, let keys, let path):
            return try missingSome(needNode, optionsNode, keys, path: path, scope)

        case .not(let a):
            return .bool(!JS.truthy(try eval(a, scope)))
        case .truthy(let a):
            return .bool(JS.truthy(try eval(a, scope)))
        case .compare(let op, let a, let b):
            let x = try eval(a, scope)
            let y = try eval(b, scope)
            return .bool(Operations.compare(op, x, y))
        case .compareVariable(let op, let path, let constant, let variableFirst):
            let v = lookup(path, scope) ?? .null
            return .bool(variableFirst ? Operations.compare(op, v, constant) : Operations.compare(op, constant, v))
        case .between(let strict, let a, let b, let c):
            let x = try eval(a, scope)
            let y = try eval(b, scope)
            let z = try eval(c, scope)
            return .bool(Operations.between(strict: strict, x, y, z))

        case .add(let nodes):
            var sum = 0.0
            for n in nodes { sum += JS.parseFloat(try eval(n, scope)) }
            return .number(sum)
        case .multiply(let nodes, let path):
            var values: [JSONValue?] = []
            values.reserveCapacity(nodes.count)
            for n in nodes { values.append(try eval(n, scope)) }
            return try Operations.multiply(values, path: path)
        case .subtract(let a, let b):
            let x = try eval(a, scope)
            let y = try eval(b, scope)
            return .number(Operations.subtract(x, y))
        case .divide(let a, let b):
            let x = try eval(a, scope)
            let y = try eval(b, scope)
            return .number(JS.toNumber(x) / JS.toNumber(y))
        case .modulo(let a, let b):
            let x = try eval(a, scope)
            let y = try eval(b, scope)
            return .number(JS.toNumber(x).truncatingRemainder(dividingBy: JS.toNumber(y)))
        case .min(let nodes):
            var values: [JSONValue?] = []
            for n in nodes { values.append(try eval(n, scope)) }
            return .number(Operations.minimum(values))
        case .max(let nodes):
            var values: [JSONValue?] = []
            for n in nodes { values.append(try eval(n, scope)) }
            return .number(Operations.maximum(values))

        case .cat(let nodes):
            var out = ""
            for n in nodes {
                let v = try eval(n, scope)
                switch v {
                case nil, .null?: continue
                default: out += JS.toString(v)
                }
            }
            return .string(out)
        case .substr(let a, let b, let c):
            let source = try eval(a, scope)
            let start = try eval(b, scope)
            let end = try eval(c, scope)
            return .string(Operations.substr(source, start, end))
        case .inOp(let a, let b):
            let needle = try eval(a, scope)
            let haystack = try eval(b, scope)
            return .bool(Operations.contains(haystack, needle))
        case .merge(let nodes):
            var out: [JSONValue] = []
            for n in nodes {
                switch try eval(n, scope) {
                case .array(let elements)?: out.append(contentsOf: elements)
                case let v?: out.append(v)
                case nil: out.append(.null)
                }
            }
            return .array(out)

        case .ifChain(let nodes):
            var i = 0
            while i + 1 < nodes.count {
                if JS.truthy(try eval(nodes[i], scope)) { return try eval(nodes[i + 1], scope) }
                i += 2
            }
            if i < nodes.count { return try eval(nodes[i], scope) }
            return .null
        case .and(let nodes):
            var current: JSONValue? = nil
            for n in nodes {
                current = try eval(n, scope)
                if !JS.truthy(current) { return current }
            }
            return current
        case .or(let nodes):
            var current: JSONValue? = nil
            for n in nodes {
                current = try eval(n, scope)
                if JS.truthy(current) { return current }
            }
            return current

        case .iterate(let op, let sourceNode, let logic):
            return try iterate(op, sourceNode, logic, scope)
        case .reduce(let sourceNode, let logic, let initialNode):
            let source = try eval(sourceNode, scope)
            let initial: JSONValue? = try initialNode.map { n throws(RuleError) in try eval(n, scope) } ?? .null
            guard case .array(let elements)? = source else { return initial }
            var accumulator = initial
            for e in elements {
                var context = JSONObject()
                context["current"] = e
                if let accumulator { context["accumulator"] = accumulator }
                accumulator = try eval(logic, .local(.object(context)))
            }
            return accumulator

        case .log(let a):
            let v = try eval(a, scope)
            logHandler?(v ?? .null)
            return v
        case .unknown(let message, let args, let path):
            for n in args { _ = try eval(n, scope) }
            throw RuleError(.evaluation, message, path: path)
        case .withExtras(let main, let extras):
            let result = try eval(main, scope)
            for n in extras { _ = try eval(n, scope) }
            return result
        }
    }

    // MARK: Variables

    @inline(__always)
    func lookup(_ path: VariablePath, _ scope: Scope) -> JSONValue? {
        switch scope {
        case .root: return input.value(at: path)
        case .local(let data): return data.value(at: path)
        }
    }

    /// The keys `missing` checks for the given (evaluated) arguments.
    static func missingKeys(fromArguments args: [JSONValue?]) -> [MissingKey] {
        let keys: [JSONValue?]
        if case .array(let list)? = args.first { keys = list } else { keys = args }
        return keys.map { key in
            if case .array(let parts)? = key {
                return MissingKey(key: .array(parts), path: .fromJS(parts.first), fallback: parts.count > 1 ? parts[1] : nil)
            }
            return MissingKey(key: key ?? .null, path: .fromJS(key), fallback: nil)
        }
    }

    func missing(_ keys: [MissingKey], _ scope: Scope) -> [JSONValue] {
        var out: [JSONValue] = []
        for k in keys {
            let value: JSONValue
            if k.path.isWholeData {
                value = lookup(k.path, scope) ?? .null
            } else {
                value = lookup(k.path, scope) ?? k.fallback ?? .null
            }
            switch value {
            case .null: out.append(k.key)
            case .string(let s) where s.isEmpty: out.append(k.key)
            default: break
            }
        }
        return out
    }

    func missingSome(_ needNode: Node, _ optionsNode: Node, _ staticKeys: [MissingKey]?, path: String, _ scope: Scope)
        throws(RuleError) -> JSONValue
    {
        let need = try eval(needNode, scope)
        let options = try eval(optionsNode, scope)
        let keys: [MissingKey]
        if let staticKeys {
            keys = staticKeys
        } else if case .array(let elements)? = options {
            keys = Self.missingKeys(fromArguments: elements)
        } else {
            keys = Self.missingKeys(fromArguments: [options])
        }
        let areMissing = missing(keys, scope)
        let optionsLength: Double
        switch options {
        case .array(let a)?: optionsLength = Double(a.count)
        case .string(let s)?: optionsLength = Double(s.utf16.count)
        case nil, .null?:
            throw RuleError(.evaluation, "Cannot read properties of null (reading 'length')", path: path)
        default: optionsLength = .nan
        }
        if JS.greaterOrEqual(.number(optionsLength - Double(areMissing.count)), need) { return .array([]) }
        return .array(areMissing)
    }

    // MARK: Iteration

    func iterate(_ op: IterateOp, _ sourceNode: Node, _ logic: Node, _ scope: Scope) throws(RuleError) -> JSONValue {
        let source = try eval(sourceNode, scope)
        guard case .array(let elements)? = source else {
            switch op {
            case .map, .filter: return .array([])
            case .all, .some: return .bool(false)
            case .none: return .bool(true)
            }
        }
        switch op {
        case .map:
            var out: [JSONValue] = []
            out.reserveCapacity(elements.count)
            for e in elements { out.append(try eval(logic, .local(e)) ?? .null) }
            return .array(out)
        case .filter:
            var out: [JSONValue] = []
            for e in elements where JS.truthy(try eval(logic, .local(e))) { out.append(e) }
            return .array(out)
        case .all:
            if elements.isEmpty { return .bool(false) }
            for e in elements where !JS.truthy(try eval(logic, .local(e))) { return .bool(false) }
            return .bool(true)
        case .none:
            for e in elements where JS.truthy(try eval(logic, .local(e))) { return .bool(false) }
            return .bool(true)
        case .some:
            for e in elements where JS.truthy(try eval(logic, .local(e))) { return .bool(true) }
            return .bool(false)
        }
    }
}
