import Rules
import Testing

/// Certification mode: what it refuses, and where it says the problem is.
struct CertificationModeTests {
    let options = RuleOptions.runRegistry

    private func compileError(_ text: String, _ options: RuleOptions = .runRegistry) throws -> RuleError? {
        let rule = try JSONValue.parse(text)
        do {
            _ = try CompiledRule(rule, options: options)
            return nil
        } catch {
            return error
        }
    }

    @Test func emptyObjectIsRejected() throws {
        let error = try #require(try compileError("{}"))
        #expect(error.kind == .malformedRule)
        #expect(error.path == "$")
        #expect(error.message.contains("empty object"))
    }

    @Test(arguments: ["true", "17", "\"apple\"", "null", "[1, 2]"])
    func bareValueIsRejected(text: String) throws {
        let error = try #require(try compileError(text))
        #expect(error.kind == .malformedRule)
        #expect(error.path == "$")
        #expect(error.message.contains("operation object"))
    }

    @Test func multiKeyObjectIsRejectedEvenWhenNested() throws {
        let top = try #require(try compileError(#"{"and": [true], "or": [false]}"#))
        #expect(top.message.contains("2 keys"))
        let nested = try #require(try compileError(#"{"==": [{"a": 1, "b": 2}, 1]}"#))
        #expect(nested.path == "$.==[0]")
    }

    @Test func unknownOperationIsRejectedWithPath() throws {
        let error = try #require(
            try compileError(#"{"and": [{"==": [{"var": "run.x"}, 1]}, {"foo": [1, 2]}]}"#))
        #expect(error.kind == .unknownOperation)
        #expect(error.path == "$.and[1].foo")
        #expect(error.message == "unknown operation 'foo'")
        #expect(error.description == "$.and[1].foo: unknown operation 'foo'")
    }

    @Test func unknownTopLevelOperationIsRejected() throws {
        let error = try #require(try compileError(#"{"frobnicate": [1]}"#))
        #expect(error.kind == .unknownOperation)
        #expect(error.path == "$.frobnicate")
    }

    @Test func wrongArgumentCountNamesOperatorAndPath() throws {
        let error = try #require(
            try compileError(#"{"and": [true, {"var": "run.a"}, {"==": [1, 2, 3]}]}"#))
        #expect(error.kind == .arity)
        #expect(error.path == "$.and[2].==")
        #expect(error.message == "operator '==' takes 2 arguments, got 3")
        let unary = try #require(try compileError(#"{"!": [true, false]}"#))
        #expect(unary.message == "operator '!' takes 1 argument, got 2")
    }

    @Test func variableOutsideNamespacesIsRejectedByName() throws {
        let error = try #require(
            try compileError(#"{"and": [{"==": [{"var": "lumisection.rr.hlt-hlt"}, "GOOD"]}, {"var": "temp"}]}"#))
        #expect(error.kind == .namespace)
        #expect(error.path == "$.and[1].var")
        #expect(error.message.contains("'temp'"))
        #expect(error.message.contains("run., lumisection., dataset."))
    }

    @Test func namespaceMustBeAPrefixNotASubstring() throws {
        #expect(try compileError(#"{"var": "runs.x"}"#)?.kind == .namespace)
        #expect(try compileError(#"{"var": "run."}"#)?.kind == .namespace)
        #expect(try compileError(#"{"var": ""}"#)?.kind == .namespace)
        #expect(try compileError(#"{"missing": ["run.a", "b"]}"#)?.message.contains("'b'") == true)
        #expect(try compileError(#"{"var": "dataset.name"}"#) == nil)
    }

    @Test func computedVariablePathIsRejected() throws {
        let error = try #require(try compileError(#"{"var": {"cat": ["run.", "x"]}}"#))
        #expect(error.kind == .malformedRule)
        #expect(error.path == "$.var")
    }

    @Test func scopedVariablesInsideIterationAreNotNamespaced() throws {
        let rule = try CompiledRule(
            try JSONValue.parse(#"{"some": [{"var": "run.fills"}, {"==": [{"var": "number"}, 7]}]}"#),
            options: options)
        #expect(rule.variables == ["run.fills"])
        #expect(try rule.evaluate(["run": ["fills": [["number": 6], ["number": 7]]]]) == true)
    }

    @Test func tooDeepNestingIsRejected() throws {
        var text = "true"
        for _ in 0..<300 { text = #"{"!": \#(text)}"# }
        let deep = try JSONValue.parse(text)
        for opts in [RuleOptions.runRegistry, RuleOptions.jsonLogic] {
            do {
                _ = try CompiledRule(deep, options: opts)
                Issue.record("a 300-deep rule compiled")
            } catch {
                #expect(error.kind == .tooDeep)
                #expect(error.path.hasPrefix("$.!.!.!"))
            }
        }
        var shallow = "true"
        for _ in 0..<100 { shallow = #"{"!": \#(shallow)}"# }
        #expect(try CompiledRule(try JSONValue.parse(shallow)).evaluate(.null) == true)
    }

    @Test func missingVariableReadsAsNull() throws {
        let rule = try CompiledRule(
            try JSONValue.parse(#"{"and": [{"==": [{"var": "run.oms.energy"}, null]}, {"!": {"var": "lumisection.rr.x"}}]}"#),
            options: options)
        #expect(try rule.evaluate([:]) == true)
        #expect(try rule.evaluate(["run": ["oms": [:]]]) == true)
    }

    @Test func defaultModeCompilesUnknownOperationAndFailsWhenEvaluated() throws {
        let rule = try CompiledRule(try JSONValue.parse(#"{"and": [true, {"foo": [1]}]}"#))
        do {
            _ = try rule.evaluate(.null)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .evaluation)
            #expect(error.message == "Unrecognized operation foo")
            #expect(error.path == "$.and[1].foo")
        }
        // Like json-logic-js, an operation on a branch that is not taken is never looked up.
        let lazy = try CompiledRule(try JSONValue.parse(#"{"if": [true, 1, {"foo": []}]}"#))
        #expect(try lazy.evaluate(.null) == 1)
        let dotted = try CompiledRule(try JSONValue.parse(#"{"a.b": [1]}"#))
        #expect(throws: RuleError(.evaluation, "Unrecognized operation a.b (failed at a)", path: "$[\"a.b\"]")) {
            try dotted.evaluate(.null)
        }
    }

    @Test func strictArityCanBeEnabledOutsideCertification() throws {
        let loose = try CompiledRule(try JSONValue.parse(#"{"==": [null]}"#))
        #expect(try loose.evaluate(.null) == true)  // null == undefined
        let options = RuleOptions(mode: .jsonLogic, strictArity: true)
        #expect(throws: RuleError.self) { try CompiledRule(try JSONValue.parse(#"{"==": [null]}"#), options: options) }
    }
}
