import Foundation
import Rules
import Testing

/// A thread-safe list that closures handed to the engine can append to.
final class Recorder<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []

    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }
}

/// json-logic-js behaviour beyond the official suite: JavaScript coercions, `undefined`, edge cases.
struct JavaScriptSemanticsTests {
    /// `[rule, data, expected]` as JSON text, with results json-logic-js gives in Node.js.
    static let cases: [(String, String, String)] = [
        // Loose and strict equality.
        (#"{"==": [null, 0]}"#, "null", "false"),
        (#"{"==": [[], false]}"#, "null", "true"),
        (#"{"==": ["", 0]}"#, "null", "true"),
        (#"{"==": [" 1 ", 1]}"#, "null", "true"),
        (#"{"==": [[1, 2], "1,2"]}"#, "null", "true"),
        (#"{"==": [true, "1"]}"#, "null", "true"),
        (#"{"==": [true, "true"]}"#, "null", "false"),
        (#"{"==": [[1], [1]]}"#, "null", "false"),
        (#"{"===": [1, 1.0]}"#, "null", "true"),
        (#"{"==": [{"var": "x"}, null]}"#, "{}", "true"),
        (#"{"==": [{"and": []}, null]}"#, "null", "true"),
        (#"{"===": [{"and": []}, null]}"#, "null", "false"),
        (#"{"==": ["e\u0301", "\u00e9"]}"#, "null", "false"),
        // Relational comparison: strings compare as strings, otherwise as numbers.
        (#"{"<": ["10", "9"]}"#, "null", "true"),
        (#"{"<": [10, "9"]}"#, "null", "false"),
        (#"{"<": [null, 1]}"#, "null", "true"),
        (#"{"<=": [null, 0]}"#, "null", "true"),
        (#"{">=": ["abc", 1]}"#, "null", "false"),
        (#"{"<": ["abc", 1]}"#, "null", "false"),
        (#"{"<": [1, 2, {"and": []}]}"#, "null", "true"),
        (#"{"<=": [1, 1, null]}"#, "null", "false"),
        // Arithmetic.
        (#"{"+": ["3.5abc", 1]}"#, "null", "4.5"),
        (#"{"+": [" .5e1x", "0x10"]}"#, "null", "5"),
        (#"{"+": [true, 1]}"#, "null", "null"),
        (#"{"+": []}"#, "null", "0"),
        (#"{"-": [true, 1]}"#, "null", "0"),
        (#"{"-": ["5", "2"]}"#, "null", "3"),
        (#"{"-": ["0x10", 1]}"#, "null", "15"),
        (#"{"-": [3, {"and": []}]}"#, "null", "-3"),
        (#"{"-": [3, null]}"#, "null", "3"),
        (#"{"*": ["2"]}"#, "null", #""2""#),
        (#"{"*": ["2", "3x"]}"#, "null", "6"),
        (#"{"/": [1, 0]}"#, "null", "null"),
        (#"{"%": [-7, 3]}"#, "null", "-1"),
        (#"{"%": [7.5, 2]}"#, "null", "1.5"),
        (#"{"max": []}"#, "null", "null"),
        (#"{"min": []}"#, "null", "null"),
        (#"{"min": ["3", 2, true]}"#, "null", "1"),
        (#"{"max": [1, "x"]}"#, "null", "null"),
        (#"{"<": [{"max": []}, -1e308]}"#, "null", "true"),
        // Strings.
        (#"{"cat": [1.5, null, true, [1, [2, 3]]]}"#, "null", #""1.5true1,2,3""#),
        (#"{"cat": [{"+": [0.1, 0.2]}, " ", 1e21, " ", 1e-7, " ", 0.000001, " ", -0.0]}"#, "null",
            #""0.30000000000000004 1e+21 1e-7 0.000001 0""#),
        (#"{"cat": [{"a": 1, "b": 2}]}"#, "null", #""[object Object]""#),
        (#"{"substr": [12345, 1, 2]}"#, "null", #""23""#),
        (#"{"substr": ["abc", null]}"#, "null", #""abc""#),
        (#"{"substr": ["abc", 1, null]}"#, "null", #""""#),
        (#"{"substr": ["jsonlogic", 1, "-5"]}"#, "null", #""""#),
        (#"{"substr": ["héllo", -4, 2]}"#, "null", #""él""#),
        (#"{"in": ["b", null]}"#, "null", "false"),
        (#"{"in": [1, "a1"]}"#, "null", "true"),
        (#"{"in": ["", "abc"]}"#, "null", "true"),
        (#"{"in": ["", ""]}"#, "null", "false"),
        (#"{"in": [1, ["1"]]}"#, "null", "false"),
        (#"{"in": [null, [null]]}"#, "null", "true"),
        (#"{"in": ["x", {"var": "o"}]}"#, #"{"o": {"x": 1}}"#, "false"),
        // Logic and `undefined`.
        (#"{"and": []}"#, "null", "null"),
        (#"{"or": [0, ""]}"#, "null", #""""#),
        (#"{"!": []}"#, "null", "true"),
        (#"{"?:": [false, 1]}"#, "null", "null"),
        // Data access.
        (#"{"var": ["a", 5]}"#, #"{"a": null}"#, "null"),
        (#"{"var": ["a.b", 5]}"#, #"{"a": null}"#, "5"),
        (#"{"var": "a.length"}"#, #"{"a": [1, 2, 3]}"#, "3"),
        (#"{"var": "s.0"}"#, #"{"s": "hey"}"#, #""h""#),
        (#"{"var": "a.01"}"#, #"{"a": [1, 2]}"#, "null"),
        (#"{"var": "1"}"#, #"{"1": "one"}"#, #""one""#),
        (#"{"var": true}"#, #"{"true": 1}"#, "1"),
        (#"{"var": [[]]}"#, #"{"": 7}"#, "7"),
        (#"{"missing": ["a", "b", "c"]}"#, #"{"a": "", "b": 0, "c": false}"#, #"["a"]"#),
        (#"{"missing": [["x", 5], "y"]}"#, #"{"y": 1}"#, #"["x", 5]"#),
        (#"{"missing": {"var": "keys"}}"#, #"{"keys": ["p", "q"], "q": 1}"#, #"["p"]"#),
        (#"{"missing_some": [1, {"var": "keys"}]}"#, #"{"keys": ["p", "q"], "q": 1}"#, "[]"),
        // Iteration.
        (#"{"map": [[1, 2], {"+": [{"var": ""}, 1]}]}"#, "null", "[2, 3]"),
        (#"{"filter": [[1, 0, 2], {"var": ""}]}"#, "null", "[1, 2]"),
        (#"{"all": ["abc", true]}"#, "null", "false"),
        (#"{"none": [null, true]}"#, "null", "true"),
        (#"{"some": [[[], [1]], {"var": ""}]}"#, "null", "true"),
        (#"{"reduce": [[1, 2, 3], {"+": [{"var": "accumulator"}, {"var": "current"}]}, {"var": "start"}]}"#,
            #"{"start": 10}"#, "16"),
        (#"{"reduce": [{"var": "nope"}, {"var": "current"}, {"var": "start"}]}"#, #"{"start": 4}"#, "4"),
        (#"{"reduce": [[1, 2], {"var": "current"}]}"#, "null", "2"),
        (#"{"map": [{"var": "rows"}, {"var": "a.b"}]}"#, #"{"rows": [{"a": {"b": 1}}, {}]}"#, "[1, null]"),
        (#"{"merge": [[1, [2]], 3, null]}"#, "null", "[1, [2], 3, null]"),
        // Literals: arrays with logic are evaluated, multi-key objects are returned as they are.
        (#"[{"var": "a"}, {"x": {"var": "a"}, "y": 1}]"#, #"{"a": 2}"#, #"[2, {"x": {"var": "a"}, "y": 1}]"#),
        (#"{}"#, "null", "{}"),
    ]

    @Test(arguments: cases)
    func behavesLikeJsonLogicJS(rule: String, data: String, expected: String) throws {
        let compiled = try CompiledRule(parsing: rule)
        let result = try compiled.evaluate(try JSONValue.parse(data))
        #expect(result == (try JSONValue.parse(expected)), "\(rule) with \(data)")
    }

    @Test func multiplyWithoutArgumentsThrowsLikeJavaScript() throws {
        let rule = try CompiledRule(parsing: #"{"if": [true, {"*": []}]}"#)
        #expect(throws: RuleError(.evaluation, "Reduce of empty array with no initial value", path: "$.if[1].*")) {
            try rule.evaluate(.null)
        }
    }

    @Test func missingSomeOfNullThrowsLikeJavaScript() throws {
        let rule = try CompiledRule(parsing: #"{"missing_some": [1, null]}"#)
        #expect(throws: RuleError.self) { try rule.evaluate([:]) }
    }

    @Test func logReturnsItsArgumentAndReportsIt() throws {
        let seen = Recorder<JSONValue>()
        let options = RuleOptions(logHandler: { value in seen.append(value) })
        let rule = try CompiledRule(parsing: #"{"+": [{"log": {"var": "x"}}, 1]}"#, options: options)
        #expect(try rule.evaluate(["x": 41]) == 42)
        #expect(seen.all == [41])
    }

    @Test func variablesListRootPathsOnlyAndFlagComputedOnes() throws {
        let rule = try CompiledRule(
            parsing: #"{"and": [{"var": "a.b"}, {"missing": ["c", "a.b"]}, {"all": [{"var": "list"}, {"var": "inner"}]}]}"#)
        #expect(rule.variables == ["a.b", "c", "list"])
        #expect(!rule.hasDynamicVariables)
        #expect(rule.clauses.map(\.variables) == [["a.b"], ["c", "a.b"], ["list"]])
        let computed = try CompiledRule(parsing: #"{"var": {"cat": ["a", ".b"]}}"#)
        #expect(computed.hasDynamicVariables)
        #expect(try computed.evaluate(["a": ["b": 3]]) == 3)
    }

    @Test func resolverIsAskedForPreSplitPaths() throws {
        let rule = try CompiledRule(parsing: #"{"and": [{"==": [{"var": "run.oms.energy"}, 6500]}, {"var": "run.ok"}]}"#)
        let asked = Recorder<[String]>()
        let result = try rule.evaluate(resolver: { path in
            asked.append(path.components)
            return path.text == "run.oms.energy" ? 6500 : true
        })
        #expect(result == true)
        #expect(asked.all == [["run", "oms", "energy"], ["run", "ok"]])
        #expect(rule.variablePaths.map(\.slot) == [0, 1])
    }

    @Test func clauseResultsDoNotShortCircuit() throws {
        let rule = try CompiledRule(parsing: #"{"and": [{"var": "a"}, {"var": "b"}, {"var": "c"}]}"#)
        #expect(try rule.clauseResults(["a": false, "b": true, "c": 0]) == [false, true, false])
        #expect(try rule.failingClauses(["a": false, "b": true, "c": 0]).map(\.source) == [["var": "a"], ["var": "c"]])
        let single = try CompiledRule(parsing: #"{"or": [{"var": "a"}, {"var": "b"}]}"#)
        #expect(try single.clauseResults(["b": 1]) == [true])
        #expect(single.clauses.count == 1)
    }

    @Test func truthinessFollowsJsonLogic() {
        let falsy: [JSONValue] = [.null, false, 0, .number(.nan), "", []]
        let truthy: [JSONValue] = [true, 1, -1, "0", " ", [0], [:]]
        #expect(falsy.allSatisfy { !$0.isTruthy })
        #expect(truthy.allSatisfy { $0.isTruthy })
    }
}
