/// A JsonLogic rule compiled once into a tree of typed operations, ready for repeated evaluation.
///
/// Evaluation follows json-logic-js (JavaScript coercions, truthiness where `[]` is falsy, loose
/// `==`). Results are returned as JSON would carry them: JavaScript `undefined`, NaN and
/// ±Infinity come back as `.null` (e.g. `{"max": []}` is null).
///
/// ```swift
/// let rule = try CompiledRule(try JSONValue.parse(text), options: .runRegistry)
/// rule.variables            // ["run.oms.energy", ...]
/// try rule.matches(data)    // truthiness of the result
/// ```
public struct CompiledRule: Sendable {
    /// The rule as given.
    public let source: JSONValue
    /// The options the rule was compiled with.
    public let options: RuleOptions
    /// Every data path the rule reads with a literal path (from `var` and `missing`, outside
    /// `map`/`filter`/`reduce`/`all`/`none`/`some` logic), in first-use order; `slot` is the index.
    public let variablePaths: [VariablePath]
    /// True when some `var`/`missing` path is computed at evaluation time, so `variables` may be
    /// incomplete (never the case in certification mode).
    public let hasDynamicVariables: Bool
    /// The clauses of a top-level `and`, or the whole rule as a single clause.
    public let clauses: [RuleClause]

    let root: Node
    let clauseNodes: [Node]

    /// Compiles `rule`, validating it according to `options`.
    public init(_ rule: JSONValue, options: RuleOptions = .jsonLogic) throws(RuleError) {
        var compiler = RuleCompiler(options: options)
        let root = try compiler.compileRule(rule)
        self.source = rule
        self.options = options
        self.root = root
        self.variablePaths = compiler.paths
        self.hasDynamicVariables = compiler.hasDynamicVariables

        if case .and(let nodes) = root, case .object(let o) = rule, o.count == 1 {
            let raw: [JSONValue]
            if case .array(let a) = o.values[0] { raw = a } else { raw = [o.values[0]] }
            let paths = compiler.paths
            let slots = compiler.clauseSlots
            self.clauseNodes = nodes
            self.clauses = nodes.indices.map { i in
                let names = i < slots.count ? slots[i].map { paths[$0].text } : []
                return RuleClause(index: i, source: i < raw.count ? raw[i] : .null, variables: names)
            }
        } else {
            self.clauseNodes = [root]
            self.clauses = [RuleClause(index: 0, source: rule, variables: compiler.paths.map(\.text))]
        }
    }

    /// Parses `text` as JSON and compiles it; JSON syntax errors become `.invalidJSON` rule errors.
    public init(parsing text: String, options: RuleOptions = .jsonLogic) throws(RuleError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw RuleError(.invalidJSON, "invalid JSON: \(error.description)", path: "$")
        }
        try self.init(value, options: options)
    }

    /// The names of the data variables the rule reads (see `variablePaths`).
    public var variables: [String] {
        variablePaths.compactMap { $0.isWholeData ? nil : $0.text }
    }

    /// Evaluates the rule against a JSON data object.
    public func evaluate(_ data: JSONValue) throws(RuleError) -> JSONValue {
        try Self.jsonResult(Evaluator(input: data, logHandler: options.logHandler).eval(root, .root))
    }

    /// Evaluates the rule, reading variables from `input`.
    public func evaluate<Input: RuleInput>(input: Input) throws(RuleError) -> JSONValue {
        try Self.jsonResult(Evaluator(input: input, logHandler: options.logHandler).eval(root, .root))
    }

    /// Evaluates the rule, reading variables through `resolver` (nil = absent).
    public func evaluate(resolver: (VariablePath) -> JSONValue?) throws(RuleError) -> JSONValue {
        let result: Result<JSONValue, RuleError> = withoutActuallyEscaping(resolver) { r in
            Result { () throws(RuleError) -> JSONValue in try evaluate(input: ClosureInput(r)) }
        }
        return try result.get()
    }

    /// The truthiness (JsonLogic rules: `[]`, `0`, `""`, null are false) of the rule's result.
    public func matches(_ data: JSONValue) throws(RuleError) -> Bool {
        JS.truthy(try Evaluator(input: data, logHandler: options.logHandler).eval(root, .root))
    }

    /// The truthiness of the rule's result, reading variables from `input`.
    public func matches<Input: RuleInput>(input: Input) throws(RuleError) -> Bool {
        JS.truthy(try Evaluator(input: input, logHandler: options.logHandler).eval(root, .root))
    }

    /// Converts an internal result to JSON: undefined, NaN and ±Infinity become null.
    static func jsonResult(_ value: JSONValue?) -> JSONValue {
        guard let value else { return .null }
        switch value {
        case .number(let d) where !d.isFinite:
            return .null
        case .array(let elements):
            return .array(elements.map { jsonResult($0) })
        case .object(let o):
            var copy = JSONObject()
            for (k, v) in o { copy[k] = jsonResult(v) }
            return .object(copy)
        default:
            return value
        }
    }
}
