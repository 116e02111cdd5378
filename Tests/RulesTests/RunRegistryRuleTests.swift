import Rules
import Testing

/// The Run Registry's own golden-JSON rules, compiled in certification mode and evaluated.
struct RunRegistryRuleTests {
    static let rrFlags = [
        "l1t-l1tmu", "l1t-l1tcalo", "hlt-hlt", "tracker-pixel", "tracker-strip", "tracker-track", "ecal-ecal",
        "ecal-es", "egamma-egamma", "hcal-hcal", "muon-muon", "jetmet-jetmet", "lumi-lumi",
    ]
    static let omsBits = [
        "cms_active", "bpix_ready", "fpix_ready", "tibtid_ready", "tecm_ready", "tecp_ready", "tob_ready",
        "ebm_ready", "ebp_ready", "eem_ready", "eep_ready", "esm_ready", "esp_ready", "hbhea_ready", "hbheb_ready",
        "hbhec_ready", "hf_ready", "ho_ready", "dtm_ready", "dtp_ready", "dt0_ready", "cscm_ready", "cscp_ready",
        "rpc_ready", "beam1_present", "beam2_present", "beam1_stable", "beam2_stable",
    ]

    /// The sample rule; its first line is the dataset filter, not JSON.
    static func sampleRule() throws -> CompiledRule {
        let text = try Fixtures.sharedData("runregistry/sample_json_logic.json")
        let firstNewline = try #require(text.firstIndex(of: "\n"))
        #expect(text[..<firstNewline] == "/ReReco/Run2018__UL2019/DQM")
        let json = try JSONValue.parse(String(text[text.index(after: firstNewline)...]))
        return try CompiledRule(json, options: .runRegistry)
    }

    /// A lumisection that passes every clause of the sample rule.
    static func goodLumisection() -> JSONValue {
        var rr = JSONObject()
        for flag in rrFlags { rr[flag] = "GOOD" }
        rr["dc-lowlumi"] = "BAD"
        var oms = JSONObject()
        for bit in omsBits { oms[bit] = true }
        return [
            "run": [
                "oms": [
                    "energy": 6500, "b_field": 3.8, "injection_scheme": "25ns_2556b_2544_2215_2332_144bpi_20injV3",
                    "hlt_key": "/cdaq/physics/Run2018/2e34/v3.6.1/HLT/V2", "recorded_lumi": 0.5,
                ]
            ],
            "lumisection": ["rr": .object(rr), "oms": .object(oms)],
        ]
    }

    static func setting(_ data: JSONValue, _ path: [String], _ value: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var object = data.objectValue ?? JSONObject()
        object[key] = setting(object[key] ?? .null, Array(path.dropFirst()), value)
        return .object(object)
    }

    @Test func sampleRuleCompilesAndListsItsVariables() throws {
        let rule = try Self.sampleRule()
        #expect(rule.clauses.count == 48)
        #expect(rule.variables.count == 47)  // energy is read twice
        #expect(!rule.hasDynamicVariables)
        #expect(Array(rule.variables.prefix(5)) == [
            "run.oms.energy", "run.oms.b_field", "run.oms.injection_scheme", "run.oms.hlt_key", "run.oms.recorded_lumi",
        ])
        #expect(rule.variables.contains("lumisection.rr.dc-lowlumi"))
        #expect(rule.variables.contains("lumisection.oms.beam2_stable"))
        #expect(rule.clauses[6].variables == ["lumisection.rr.l1t-l1tmu"])
        #expect(rule.variablePaths.enumerated().allSatisfy { $0.element.slot == $0.offset })
    }

    @Test func goodLumisectionIsIn() throws {
        let rule = try Self.sampleRule()
        let ls = Self.goodLumisection()
        #expect(try rule.evaluate(ls) == true)
        #expect(try rule.clauseResults(ls).allSatisfy { $0 })
        #expect(try rule.failingClauses(ls).isEmpty)
    }

    @Test(arguments: [
        (["lumisection", "rr", "tracker-pixel"], JSONValue.string("BAD"), 9),
        (["lumisection", "rr", "dc-lowlumi"], JSONValue.string("GOOD"), 19),
        (["lumisection", "oms", "beam2_stable"], JSONValue.bool(false), 47),
        (["run", "oms", "energy"], JSONValue.number(13600), 1),
        (["run", "oms", "injection_scheme"], JSONValue.string("50ns_1374"), 3),
        (["run", "oms", "hlt_key"], JSONValue.string("/cdaq/special/WMass/v1"), 4),
    ])
    func oneBadAttributeTakesTheLumisectionOutAndIsExplained(path: [String], value: JSONValue, clause: Int) throws {
        let rule = try Self.sampleRule()
        let ls = Self.setting(Self.goodLumisection(), path, value)
        #expect(try rule.evaluate(ls) == false)
        let results = try rule.clauseResults(ls)
        #expect(results.count == 48)
        #expect(results.indices.filter { !results[$0] } == [clause])
        let failing = try rule.failingClauses(ls)
        #expect(failing.map(\.index) == [clause])
        #expect(failing.first?.variables == [path.joined(separator: ".")])
    }

    @Test func absentFlagTakesTheLumisectionOut() throws {
        let rule = try Self.sampleRule()
        var ls = Self.goodLumisection()
        ls = Self.setting(ls, ["lumisection", "rr"], ["hlt-hlt": "GOOD"])
        #expect(try rule.evaluate(ls) == false)
        #expect(try rule.failingClauses(ls).count == 13)
    }

    @Test func slotInputAndResolverAgreeWithJSONData() throws {
        let rule = try Self.sampleRule()
        let ls = Self.goodLumisection()
        var values = VariableValues(for: rule) { ls.value(at: $0) }
        #expect(try rule.evaluate(input: values) == true)
        #expect(try rule.evaluate(resolver: { ls.value(at: $0) }) == true)
        values["lumisection.oms.cms_active"] = false
        #expect(try rule.matches(input: values) == false)
        #expect(try rule.failingClauses(input: values).map(\.index) == [20])
        values["lumisection.oms.cms_active"] = true
        values[slot: 0] = 5000
        #expect(try rule.matches(input: values) == false)
    }

    @Test func trackerRuleAndOlderRuleCompile() throws {
        let tracker = try CompiledRule(
            try JSONValue.parse(try Fixtures.sharedData("runregistry/runreg_logic.json")), options: .runRegistry)
        #expect(tracker.variables == [
            "lumisection.rr.tracker-pixel", "lumisection.rr.tracker-strip", "lumisection.rr.tracker-track",
        ])
        #expect(try tracker.evaluate(Self.goodLumisection()) == true)

        // The 2018 rule carries a "// prettier-ignore" line, which is not JSON.
        let text = try Fixtures.sharedData("runregistry/json_logic_json.json")
        let cleaned = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingPrefix(while: { $0 == " " }).hasPrefix("//") }
            .joined(separator: "\n")
        let old = try CompiledRule(try JSONValue.parse(cleaned), options: .runRegistry)
        #expect(old.variables.contains("run.name"))
        var ls = Self.setting(Self.goodLumisection(), ["run", "name"], "/PromptReco/Collisions18B/DQM")
        // Its `in` clauses ask whether the scheme is a substring *of* "25ns".
        ls = Self.setting(ls, ["run", "oms", "injection_scheme"], "25ns")
        let failing = try old.failingClauses(ls).map(\.source)
        #expect(!failing.isEmpty)  // it also wants dc-lowlumi GOOD, dt, csc, castor
    }

    @Test func evaluationOfTheSampleRuleIsFast() throws {
        let rule = try Self.sampleRule()
        let ls = Self.goodLumisection()
        let values = VariableValues(for: rule) { ls.value(at: $0) }
        let clock = ContinuousClock()
        let rounds = 20_000
        var trues = 0
        let elapsed = try clock.measure {
            for _ in 0..<rounds where try rule.matches(input: values) { trues += 1 }
        }
        #expect(trues == rounds)
        let perEvaluation = elapsed / rounds
        // A few microseconds in release builds; debug builds are allowed far more.
        #expect(perEvaluation < .microseconds(200), "took \(perEvaluation) per evaluation")
    }
}
