/// One clause of a rule (an argument of its top-level `and`), kept for explaining results.
public struct RuleClause: Sendable, Hashable {
    /// Position among the top-level `and` arguments.
    public let index: Int
    /// The clause's JSON, e.g. `{"==": [{"var": "lumisection.rr.tracker-pixel"}, "GOOD"]}`.
    public let source: JSONValue
    /// The variables the clause reads.
    public let variables: [String]
}

extension CompiledRule {
    /// Evaluates each clause separately and reports whether it was truthy (no short-circuit).
    ///
    /// For a rule that is not a top-level `and`, the single entry is the whole rule's truthiness.
    public func clauseResults(_ data: JSONValue) throws(RuleError) -> [Bool] {
        try clauseResults(input: data)
    }

    /// Evaluates each clause separately, reading variables from `input`.
    public func clauseResults<Input: RuleInput>(input: Input) throws(RuleError) -> [Bool] {
        let evaluator = Evaluator(input: input, logHandler: options.logHandler)
        var results: [Bool] = []
        results.reserveCapacity(clauseNodes.count)
        for node in clauseNodes { results.append(JS.truthy(try evaluator.eval(node, .root))) }
        return results
    }

    /// The clauses that are falsy for `input`: why an item is out.
    public func failingClauses<Input: RuleInput>(input: Input) throws(RuleError) -> [RuleClause] {
        let results = try clauseResults(input: input)
        return clauses.filter { !results[$0.index] }
    }

    /// The clauses that are falsy for a JSON data object.
    public func failingClauses(_ data: JSONValue) throws(RuleError) -> [RuleClause] {
        try failingClauses(input: data)
    }
}
