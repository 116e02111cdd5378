import Rules
import Testing

/// Malformed and random rules produce errors, never crashes.
struct RobustnessTests {
    /// A small deterministic generator (SplitMix64), so failures are reproducible.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let operators = [
        "==", "===", "!=", "!==", ">", ">=", "<", "<=", "!", "!!", "and", "or", "if", "?:", "+", "*", "-", "/", "%",
        "min", "max", "cat", "substr", "in", "merge", "var", "missing", "missing_some", "map", "filter", "reduce",
        "all", "none", "some", "log", "nope", "a.b", "var.x",
    ]

    static func randomValue(_ rng: inout SplitMix, depth: Int) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 4 ? 7 : 11), using: &rng)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number([0, -0.0, 1, -1, 2.5, 1e21, -7, 3].randomElement(using: &rng) ?? 0)
        case 3: return .string(["", "a", "a.b", "0", "-2", "x.0", "run.oms.energy", "1e3", " 7 "].randomElement(using: &rng) ?? "")
        case 4: return .number(Double(Int.random(in: -3...5, using: &rng)))
        case 5: return .string(["current", "accumulator", "length", "b"].randomElement(using: &rng) ?? "")
        case 6: return .array([])
        case 7, 8:
            let n = Int.random(in: 0...4, using: &rng)
            return .array((0..<n).map { _ in randomValue(&rng, depth: depth + 1) })
        case 9:
            let op = operators.randomElement(using: &rng) ?? "var"
            let n = Int.random(in: 0...4, using: &rng)
            let args: JSONValue = Bool.random(using: &rng)
                ? .array((0..<n).map { _ in randomValue(&rng, depth: depth + 1) })
                : randomValue(&rng, depth: depth + 1)
            return .object(JSONObject([(op, args)]))
        default:
            return .object(JSONObject([("a", randomValue(&rng, depth: depth + 1)), ("b", .array([1, 2]))]))
        }
    }

    @Test func randomRulesNeverCrash() throws {
        var rng = SplitMix(state: 42)
        let data: JSONValue = ["a": ["b": [1, 2, 3]], "x": [0, "s"], "run": ["oms": ["energy": 6500]], "": 1]
        var evaluated = 0
        for _ in 0..<3000 {
            let rule = Self.randomValue(&rng, depth: 0)
            for options in [RuleOptions.jsonLogic, .runRegistry] {
                guard let compiled = try? CompiledRule(rule, options: options) else { continue }
                if (try? compiled.evaluate(data)) != nil { evaluated += 1 }
                _ = try? compiled.evaluate(.null)
                _ = try? compiled.clauseResults(Self.randomValue(&rng, depth: 3))
                _ = compiled.source.serialized()
            }
        }
        #expect(evaluated > 1000)
    }

    @Test func randomBytesNeverCrashTheParser() {
        var rng = SplitMix(state: 7)
        let alphabet = Array(#"{}[]",:0123456789-+.eE truefalsnl\u"#.utf8) + [0xC3, 0xA9, 0xFF, 0x00]
        for _ in 0..<5000 {
            let n = Int.random(in: 0...24, using: &rng)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng) ?? 0x20 }
            if let v = try? JSONValue.parse(bytes) {
                #expect((try? JSONValue.parse(v.serialized())) == v)
            }
        }
    }

    @Test func deepestAllowedRuleEvaluates() throws {
        // 256 levels of `{"!": …}` is exactly the default limit.
        var rule: JSONValue = true
        for _ in 0..<256 { rule = .object(JSONObject([("!", rule)])) }
        #expect(try CompiledRule(rule).evaluate(.null) == true)
        var arrayForm: JSONValue = true
        for _ in 0..<127 { arrayForm = .object(JSONObject([("!", .array([arrayForm]))])) }
        #expect(try CompiledRule(arrayForm).evaluate(.null) == false)
        let tooDeep = JSONValue.object(JSONObject([("!", rule)]))
        #expect(throws: RuleError.self) { try CompiledRule(tooDeep) }
    }

    @Test func malformedRuleTextIsAnInvalidJSONRuleError() {
        do {
            _ = try CompiledRule(parsing: #"{"and": [true,]}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .invalidJSON)
            #expect(error.message.contains("byte offset 14"))
        }
    }
}
