import Foundation
import GoldenJSON
import Rules
import Testing

@Suite struct DatasetNameFilterTests {
    @Test func similarToSemanticsAreAnchoredWithWildcardsAndAlternatives() throws {
        let cases: [(String, String, Bool)] = [
            ("/PromptReco/Collisions2024(A|B|C)/DQM", "/PromptReco/Collisions2024B/DQM", true),
            ("/PromptReco/Collisions2024(A|B|C)/DQM", "/PromptReco/Collisions2024D/DQM", false),
            ("/PromptReco/%", "/PromptReco/Collisions2024B/DQM", true),
            ("%PromptReco%", "/PromptReco/Collisions2024B/DQM", true),
            ("PromptReco", "/PromptReco/Collisions2024B/DQM", false),
            ("/Express/Collisions202_/DQM", "/Express/Collisions2024/DQM", true),
            ("/Express/Collisions202_/DQM", "/Express/Collisions20245/DQM", false),
            // The real Run Registry filter: each `_` is one character, so "A_" fills the two.
            ("/ReReco/Run2018__UL2019/DQM", "/ReReco/Run2018A_UL2019/DQM", true),
            ("/ReReco/Run2018__UL2019/DQM", "/ReReco/Run2018AB_UL2019/DQM", false),
            ("/ReReco/Run2018[ABCD]%", "/ReReco/Run2018C-v1/DQM", true),
            ("/ReReco/Run2018[ABCD]%", "/ReReco/Run2018E-v1/DQM", false),
            ("a.b", "a.b", true),
            ("a.b", "axb", false),
            ("(ab)+", "ababab", true),
            ("ab*c", "ac", true),
            ("100\\%", "100%", true),
            ("100\\%", "1000", false),
        ]
        for (pattern, name, expected) in cases {
            #expect(try DatasetNameFilter(pattern).matches(name) == expected, "\(pattern) ~ \(name)")
        }
    }

    @Test func malformedPatternsAreRejectedWithTheirPosition() {
        for bad in ["(abc", "abc)", "[abc", "*abc", "a(|*)", "abc\\", "a{x}"] {
            let error = #expect(throws: FilterError.self) { try DatasetNameFilter(bad) }
            #expect(error?.description.contains("at character") == true, "\(bad)")
        }
    }
}

@Suite struct SegmentEvaluatorTests {
    static let components = ["tracker-pixel", "tracker-strip", "dt-dt", "ecal-ecal"]
    static let bits = ["cms_active", "bpix_ready", "beam1_stable"]

    static let rule = """
        {"and": [
          {">=": [{"var": "run.oms.energy"}, 6000]},
          {"in": ["25ns", {"var": "run.oms.injection_scheme"}]},
          {"==": [{"var": "lumisection.rr.tracker-pixel"}, "GOOD"]},
          {"==": [{"var": "lumisection.rr.tracker-strip"}, "GOOD"]},
          {"==": [{"var": "lumisection.rr.dt-dt"}, "GOOD"]},
          {"==": [{"var": "lumisection.oms.cms_active"}, true]},
          {"==": [{"var": "lumisection.oms.bpix_ready"}, true]},
          {"==": [{"var": "dataset.name"}, "/PromptReco/Collisions2024C/DQM"]}
        ]}
        """

    /// Random but seeded inputs: a few segments per attribute, some gaps.
    static func randomInputs(_ random: inout SystemRandomNumberGenerator) -> RunDatasetInputs {
        let n = Int.random(in: 1...400, using: &random)
        var segments: [String: [(range: ClosedRange<Int>, value: JSONValue)]] = [:]
        for c in components {
            segments["lumisection.rr.\(c)"] = randomSegments(n, ["GOOD", "GOOD", "BAD", "STANDBY"].map(JSONValue.string), &random)
        }
        for b in bits {
            segments["lumisection.oms.\(b)"] = randomSegments(n, [.bool(true), .bool(true), .bool(false), .null], &random)
        }
        return RunDatasetInputs(
            run: 380_000, datasetName: Bool.random(using: &random) ? "/PromptReco/Collisions2024C/DQM" : "/Express/Collisions2024/DQM",
            lumisectionCount: n,
            constants: ["run.oms.energy": .number(Bool.random(using: &random) ? 6800 : 450), "run.oms.injection_scheme": .string("25ns_2352b")],
            segments: segments, recorded: (0..<n).map { _ in Double.random(in: 0...0.5, using: &random) },
            delivered: (0..<n).map { _ in Double.random(in: 0...0.5, using: &random) })
    }

    static func randomSegments(
        _ n: Int, _ values: [JSONValue], _ random: inout SystemRandomNumberGenerator
    ) -> [(range: ClosedRange<Int>, value: JSONValue)] {
        var out: [(range: ClosedRange<Int>, value: JSONValue)] = []
        var ls = 1
        while ls <= n {
            let length = Int.random(in: 1...max(1, n / 3), using: &random)
            let last = min(n, ls + length - 1)
            if Int.random(in: 0...9, using: &random) > 0 { out.append((ls...last, values.randomElement(using: &random)!)) }
            ls = last + 1
        }
        return out
    }

    /// The naive way: build every lumisection's JSON and evaluate the rule on it.
    static func naive(_ rule: CompiledRule, _ inputs: RunDatasetInputs) throws -> [Int] {
        var certified: [Int] = []
        for ls in 1...inputs.lumisectionCount {
            var rr: [(String, JSONValue)] = []
            var oms: [(String, JSONValue)] = []
            for (path, segments) in inputs.segments {
                let value = segments.first { $0.range.contains(ls) }?.value ?? .null
                let name = String(path.split(separator: ".").last!)
                if path.hasPrefix("lumisection.rr.") { rr.append((name, value)) } else { oms.append((name, value)) }
            }
            let data: JSONValue = [
                "run": ["oms": ["energy": inputs.constants["run.oms.energy"]!, "injection_scheme": inputs.constants["run.oms.injection_scheme"]!]],
                "dataset": ["name": .string(inputs.datasetName)],
                "lumisection": .object(JSONObject([("rr", .object(JSONObject(rr))), ("oms", .object(JSONObject(oms)))])),
            ]
            if try rule.matches(data) { certified.append(ls) }
        }
        return certified
    }

    @Test func segmentEvaluationEqualsNaivePerLumisectionEvaluation() throws {
        let rule = try CompiledRule(parsing: Self.rule, options: .runRegistry)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let inputs = Self.randomInputs(&random)
            let result = try SegmentEvaluator.evaluate(rule, inputs)
            let expected = try Self.naive(rule, inputs)
            #expect(result.certified.flatMap { Array($0) } == expected)
            #expect(result.evaluations <= inputs.lumisectionCount)
            let all = result.certified.flatMap { Array($0) } + result.rejected.flatMap { Array($0) }
            #expect(all.sorted() == Array(1...inputs.lumisectionCount))
            let total = inputs.recorded.reduce(0, +)
            #expect(abs(result.recordedIn + result.recordedLost - total) < 1e-9)
        }
    }

    @Test func luminosityFlaggedFalseIsCountedPerClause() throws {
        let rule = try CompiledRule(
            parsing: #"{"and": [{"==": [{"var": "lumisection.rr.dt-dt"}, "GOOD"]}, {"==": [{"var": "lumisection.oms.cms_active"}, true]}]}"#,
            options: .runRegistry)
        let inputs = RunDatasetInputs(
            run: 1, datasetName: "/Express/Collisions2024/DQM", lumisectionCount: 10,
            segments: [
                "lumisection.rr.dt-dt": [(1...6, .string("GOOD")), (7...10, .string("BAD"))],
                "lumisection.oms.cms_active": [(1...3, .bool(true)), (4...8, .bool(false)), (9...10, .bool(true))],
            ],
            recorded: Array(repeating: 1, count: 10), delivered: Array(repeating: 2, count: 10))
        let r = try SegmentEvaluator.evaluate(rule, inputs)
        #expect(r.certified == [1...3])
        #expect(r.rejected == [4...10])
        #expect(r.recordedIn == 3 && r.recordedLost == 7)
        #expect(r.deliveredIn == 6 && r.deliveredLost == 14)
        #expect(r.clauseFalseRecorded == [4, 5])  // dt BAD on 7–10; cms_active false on 4–8
        #expect(r.clauseAloneRecorded == [2, 3])  // only dt on 9–10; only cms_active on 4–6
        #expect(r.evaluations == 4)
    }

    @Test func theRealRunRegistryRuleEvaluatesPerSegment() throws {
        let text = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/runregistry/sample_json_logic.json"),
            encoding: .utf8)
        let ruleText = text.split(separator: "\n", maxSplits: 1)[1]
        let rule = try CompiledRule(parsing: String(ruleText), options: .runRegistry)
        var segments: [String: [(range: ClosedRange<Int>, value: JSONValue)]] = [:]
        for path in rule.variables where path.hasPrefix("lumisection.rr.") {
            segments[path] = [(1...1000, .string(path.hasSuffix("dc-lowlumi") ? "BAD" : "GOOD"))]
        }
        for path in rule.variables where path.hasPrefix("lumisection.oms.") {
            segments[path] = [(1...1000, .bool(true))]
        }
        segments["lumisection.oms.cms_active"] = [(1...499, .bool(true)), (500...520, .bool(false)), (521...1000, .bool(true))]
        var constants: [String: JSONValue] = [:]
        for path in rule.variables where path.hasPrefix("run.") {
            constants[path] = .number(0)
        }
        constants["run.oms.energy"] = .number(6500)
        constants["run.oms.b_field"] = .number(3.8)
        constants["run.oms.injection_scheme"] = .string("25ns_2556b")
        constants["run.oms.hlt_key"] = .string("/cdaq/physics/Run2018/2e34/v3.6.1")
        constants["run.oms.recorded_lumi"] = .number(0.5)
        constants["run.rr.class"] = .string("Collisions18")
        let inputs = RunDatasetInputs(
            run: 319_000, datasetName: "/ReReco/Run2018A_UL2019/DQM", lumisectionCount: 1000, constants: constants,
            segments: segments)
        let r = try SegmentEvaluator.evaluate(rule, inputs)
        #expect(r.evaluations == 3)
        let naive = try Self.naiveForRealRule(rule, inputs)
        #expect(r.certified.flatMap { Array($0) } == naive)
    }

    static func naiveForRealRule(_ rule: CompiledRule, _ inputs: RunDatasetInputs) throws -> [Int] {
        try (1...inputs.lumisectionCount).filter { ls in
            try rule.matches(
                input: ClosureInput { path in
                    var cursor = 0
                    if path.text.hasPrefix("lumisection.") {
                        let segments = inputs.segments[path.text] ?? []
                        while cursor < segments.count && !segments[cursor].range.contains(ls) { cursor += 1 }
                        return cursor < segments.count ? segments[cursor].value : .null
                    }
                    if path.text == "dataset.name" { return .string(inputs.datasetName) }
                    return inputs.constants[path.text] ?? .null
                })
        }
    }
}
