import Certification
import LedgerCore
import Testing

@Suite struct CycleAggregateTests {
    let n = 355100
    let prompt = DatasetKey(run: 355100, name: "/PromptReco/Collisions2022C/DQM")
    let express = DatasetKey(run: 355100, name: "/Express/Collisions2022/DQM")

    func worldWithCycle() throws -> World {
        var w = World.signedOffRun(n)
        try w.execute(.cycle("ul2022-1", .create(name: "UL2022 cycle 1", deadline: LedgerTimestamp(iso8601: "2023-05-01"),
                                                  workspaces: ["dt", "csc"])))
        try w.execute(.cycle("ul2022-1", .addDatasets([prompt, express])))
        return w
    }

    @Test func creatingACycleStartsEveryWorkspacePending() throws {
        let w = try worldWithCycle()
        let c = w.cycles["ul2022-1"]!
        #expect(c.name == "UL2022 cycle 1")
        #expect(c.workspaceStates == ["dt": .pending, "csc": .pending])
        #expect(c.globalState == .pending)
        #expect(c.datasets == [prompt, express])
    }

    @Test func cycleCreationIsValidated() throws {
        var w = try worldWithCycle()
        #expect(rejection { try w.execute(.cycle("ul2022-1", .create(name: "again", deadline: nil, workspaces: ["dt"]))) }?.code == .alreadyExists)
        #expect(rejection { try w.execute(.cycle("c2", .create(name: "x", deadline: nil, workspaces: []))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.cycle("c2", .create(name: "", deadline: nil, workspaces: ["dt"]))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.cycle("c2", .create(name: "x", deadline: nil, workspaces: ["dt", "dt"]))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.cycle("c2", .create(name: "x", deadline: nil, workspaces: ["global"]))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.cycle("bad id", .create(name: "x", deadline: nil, workspaces: ["dt"]))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.cycle("nope", .addDatasets([prompt]))) }?.code == .notFound)
    }

    @Test func onlineDatasetsCannotJoinACycle() throws {
        var w = try worldWithCycle()
        #expect(rejection { try w.execute(.cycle("ul2022-1", .addDatasets([.online(run: n)]))) }?.code == .onlineDatasetInCycle)
        #expect(rejection { try w.execute(.cycle("ul2022-1", .addDatasets([DatasetKey(run: n, name: "/ReReco/X-v1/DQM")]))) }?.code == .notFound)
        #expect(try w.execute(.cycle("ul2022-1", .addDatasets([prompt]))).isEmpty)
    }

    @Test func aCycleHoldsAtMostAThousandDatasets() throws {
        var c = CycleAggregate(id: "big")
        c.apply(.cycleCreated(cycle: "big", name: "big", deadline: nil, workspaces: ["dt"]), recordedAt: t0, actorKind: .human)
        var known: [DatasetKey: DatasetAggregate] = [:]
        var keys: [DatasetKey] = []
        for run in 1...1001 {
            let k = DatasetKey(run: run, name: "/PromptReco/Collisions2022C/DQM")
            var d = DatasetAggregate(key: k)
            d.apply(.datasetCreated(k, globalState: .waitingDQMGUI, workspaceStates: ["dt": .waitingDQMGUI], appearedIn: []),
                    recordedAt: t0, actorKind: .automatic)
            known[k] = d
            keys.append(k)
        }
        let events = try c.decide(.addDatasets(Array(keys.prefix(1000))), context: shifter, datasets: known)
        #expect(events.count == 1)
        for e in events { c.apply(e, recordedAt: t0, actorKind: .human) }
        let error = rejection { try c.decide(.addDatasets([keys[1000]]), context: shifter, datasets: known) }
        #expect(error?.code == .cycleTooLarge)
        #expect(error?.message.contains("1000") == true)
    }

    @Test func removingDatasetsNeedsMembership() throws {
        var w = try worldWithCycle()
        #expect(try w.execute(.cycle("ul2022-1", .removeDatasets([express]))) == [.cycleDatasetsRemoved(cycle: "ul2022-1", datasets: [express])])
        #expect(rejection { try w.execute(.cycle("ul2022-1", .removeDatasets([express]))) }?.code == .notFound)
        #expect(w.cycles["ul2022-1"]!.datasets == [prompt])
    }

    @Test func completingAWorkspaceNeedsEveryMemberCompletedThere() throws {
        var w = try worldWithCycle()
        let error = rejection { try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "dt", to: .completed, reason: ""))) }
        #expect(error?.code == .cycleIncomplete)
        #expect(error?.message.contains("waiting dqm gui") == true)
        for k in [prompt, express] {
            try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .open, reason: "")))
            try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .signOff, reason: "")))
            try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .completed, reason: "")))
        }
        try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "dt", to: .completed, reason: "")))
        #expect(w.cycles["ul2022-1"]!.workspaceStates["dt"] == .completed)
        // Not significant counts as done.
        for k in [prompt, express] {
            try w.execute(.dataset(k, .moveWorkspaceState(workspace: "csc", to: .notSignificant, reason: "")), classifier)
        }
        try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "csc", to: .completed, reason: "")))
    }

    @Test func globalCompletionNeedsEveryWorkspaceCompletedAndFreezesTheCycle() throws {
        var w = try worldWithCycle()
        for k in [prompt, express] {
            for ws in ["dt", "csc"] {
                try w.execute(.dataset(k, .moveWorkspaceState(workspace: ws, to: .notSignificant, reason: "")), classifier)
            }
        }
        try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "dt", to: .completed, reason: "")))
        let pending = rejection { try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "global", to: .completed, reason: ""))) }
        #expect(pending?.code == .cycleIncomplete)
        #expect(pending?.message.contains("csc") == true)
        try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "csc", to: .completed, reason: "")))
        try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "global", to: .completed, reason: "")))
        #expect(rejection { try w.execute(.cycle("ul2022-1", .removeDatasets([prompt]))) }?.code == .cycleIncomplete)
        #expect(rejection { try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "dt", to: .pending, reason: "redo"))) }?.code == .cycleIncomplete)
        #expect(rejection { try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "global", to: .pending, reason: ""))) }?.code == .reasonRequired)
        try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "global", to: .pending, reason: "redo dt")))
        try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "dt", to: .pending, reason: "redo")))
        #expect(rejection { try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "dt", to: .pending, reason: "redo"))) }?.code == .invalidTransition)
        #expect(rejection { try w.execute(.cycle("ul2022-1", .setWorkspaceState(workspace: "ecal", to: .completed, reason: ""))) }?.code == .notFound)
    }
}

@Suite struct ConfigAggregateTests {
    @Test func datasetsAcceptedRulesAreValidatedSetAndRemoved() throws {
        var w = World()
        #expect(try w.execute(.config(.setDatasetsAcceptedRule(World.promptRule))).map(\.typeName) == ["DatasetsAcceptedRuleSet"])
        #expect(try w.execute(.config(.setDatasetsAcceptedRule(World.promptRule))).isEmpty)
        var bad = World.promptRule
        bad.name = "/Foo/Bar/DQM"
        #expect(rejection { try w.execute(.config(.setDatasetsAcceptedRule(bad))) }?.code == .invalidArgument)
        bad = World.promptRule
        bad.runFrom = 400000
        #expect(rejection { try w.execute(.config(.setDatasetsAcceptedRule(bad))) }?.code == .invalidArgument)
        bad = World.promptRule
        bad.regexp = "\n \n"
        #expect(rejection { try w.execute(.config(.setDatasetsAcceptedRule(bad))) }?.code == .invalidArgument)
        bad = World.promptRule
        bad.name = "online"
        #expect(rejection { try w.execute(.config(.setDatasetsAcceptedRule(bad))) }?.code == .invalidArgument)
        try w.execute(.config(.removeDatasetsAcceptedRule(id: 1)))
        #expect(w.config(.datasetsAccepted).acceptedRules.isEmpty)
        #expect(rejection { try w.execute(.config(.removeDatasetsAcceptedRule(id: 1))) }?.code == .notFound)
    }

    @Test func acceptedRulesSelectByClassRunRangeAndEnabled() {
        let rule = World.promptRule
        #expect(rule.selects(run: 355100, runClass: "Collisions22"))
        #expect(!rule.selects(run: 355100, runClass: "Cosmics22"))
        #expect(!rule.selects(run: 354999, runClass: "Collisions22"))
        #expect(rule.selects(run: 357000, runClass: "Collisions22"))
        #expect(World.expressRule.selects(run: 1, runClass: "Collisions22"))
        var off = rule
        off.enabled = false
        #expect(!off.selects(run: 355100, runClass: "Collisions22"))
        #expect(rule.patterns == ["/ZeroBias/Run2022C-PromptReco-v\\d/DQMIO"])
    }

    @Test func classifiersPermissionsAndTheCatalogueAreEdited() throws {
        var w = World()
        let c = Classifier(id: 1, kind: .component, target: "dt-dt", status: .good, logic: "true", priority: 1)
        try w.execute(.config(.setClassifier(c)))
        #expect(w.config(.classifiers).classifiers[.component]?[1] == c)
        #expect(rejection { try w.execute(.config(.setClassifier(Classifier(id: 2, kind: .component, target: "dt-dt", logic: "true")))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.config(.setClassifier(Classifier(id: 2, kind: .runClass, target: "", logic: "true")))) }?.code == .invalidArgument)
        try w.execute(.config(.removeClassifier(kind: .component, id: 1)))
        #expect(rejection { try w.execute(.config(.removeClassifier(kind: .component, id: 1))) }?.code == .notFound)

        try w.execute(.config(.setPermission(Permission(id: 40, egroup: "cms-dqm-runregistry-offline-gem-certifiers", routes: ["/cycles/move_dataset/gem/.*"]))))
        #expect(rejection { try w.execute(.config(.setPermission(Permission(id: 41, egroup: "x", routes: [])))) }?.code == .invalidArgument)
        try w.execute(.config(.removePermission(id: 40)))
        #expect(rejection { try w.execute(.config(.removePermission(id: 40))) }?.code == .notFound)

        #expect(try w.execute(.config(.changeComponentCatalogue(.cmsDefault))).isEmpty)
        var withGEM = ComponentCatalogue.cmsDefault
        withGEM.onlineCertifiable["gem"] = ["gem"]
        try w.execute(.config(.changeComponentCatalogue(withGEM)))
        #expect(w.config(.components).catalogue.certifiableOnlineComponents.contains("gem-gem"))
        var broken = withGEM
        broken.offlineWorkspaces["bad-ws"] = ["x"]
        #expect(rejection { try w.execute(.config(.changeComponentCatalogue(broken))) }?.code == .invalidArgument)
    }

    @Test func aChangedCatalogueChangesWhatSignOffRequires() throws {
        var w = World.openRun(355100)
        var withGEM = ComponentCatalogue.cmsDefault
        withGEM.onlineCertifiable["gem"] = ["gem"]
        try w.execute(.config(.changeComponentCatalogue(withGEM)))
        let error = rejection { try w.execute(.run(355100, .moveState(to: .signOff, reason: ""))) }
        #expect(error?.code == .signOffBlocked)
        #expect(error?.message.contains("gem-gem (LS 1–100)") == true)
    }

    @Test func editsGoOnlyToTheirOwnConfigurationSet() {
        let agg = ConfigAggregate(kind: .permissions)
        #expect(rejection { try agg.decide(.removeDatasetsAcceptedRule(id: 1), context: shifter) }?.code == .invalidArgument)
    }
}

@Suite struct FlagLayersTests {
    @Test func effectiveFlagsPreferManualOverAutomatic() {
        var layers = FlagLayers()
        layers.set(Flag(.good), component: "dt-dt", range: range(1, 100), actorKind: .automatic)
        layers.set(Flag(.bad, comment: "HV trip"), component: "dt-dt", range: range(40, 60), actorKind: .human)
        layers.set(Flag(.standby), component: "dt-dt", range: range(1, 100), actorKind: .automatic)
        #expect(layers.flag(component: "dt-dt", at: 50)?.status == .bad)
        #expect(layers.flag(component: "dt-dt", at: 39)?.status == .standby)
        #expect(layers.hasManualOverride(component: "dt-dt", in: range(60, 70)))
        #expect(!layers.hasManualOverride(component: "dt-dt", in: range(61, 70)))
        layers.releaseOverride(component: "dt-dt", range: range(1, 100))
        #expect(layers.flag(component: "dt-dt", at: 50)?.status == .standby)
        #expect(layers.effectiveMap(component: "dt-dt").segments.count == 1)
        #expect(layers.components == ["dt-dt"])
    }

    @Test func unflaggedRangesCountBothLayers() {
        var layers = FlagLayers()
        layers.set(Flag(.good), component: "dt-dt", range: range(1, 10), actorKind: .automatic)
        layers.set(Flag(.notSet), component: "dt-dt", range: range(21, 30), actorKind: .human)
        #expect(layers.unflagged(component: "dt-dt", in: range(1, 40)) == [range(11, 20), range(31, 40)])
        #expect(layers.unflagged(component: "rpc-rpc", in: range(1, 40)) == [range(1, 40)])
        #expect(layers.flag(component: "rpc-rpc", at: 1) == nil)
    }

    @Test func randomLayerEditsAgreeWithANaiveModel() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<100 {
            var layers = FlagLayers()
            var auto = [LumisectionStatus?](repeating: nil, count: 51)
            var manual = [LumisectionStatus?](repeating: nil, count: 51)
            for _ in 0..<30 {
                let a = Int.random(in: 1...50, using: &rng)
                let b = Int.random(in: a...50, using: &rng)
                let status = LumisectionStatus.allCases.randomElement(using: &rng)!
                switch Int.random(in: 0..<3, using: &rng) {
                case 0:
                    layers.set(Flag(status), component: "c-c", range: range(a, b), actorKind: .automatic)
                    for i in a...b { auto[i] = status }
                case 1:
                    layers.set(Flag(status), component: "c-c", range: range(a, b), actorKind: .human)
                    for i in a...b { manual[i] = status }
                default:
                    layers.releaseOverride(component: "c-c", range: range(a, b))
                    for i in a...b { manual[i] = nil }
                }
            }
            let map = layers.effectiveMap(component: "c-c")
            for ls in 1...50 {
                #expect(layers.flag(component: "c-c", at: ls)?.status == (manual[ls] ?? auto[ls]))
                #expect(map.value(at: ls)?.flag.status == (manual[ls] ?? auto[ls]))
                #expect(map.value(at: ls)?.source == (manual[ls] != nil ? .manual : auto[ls] != nil ? .automatic : nil))
            }
        }
    }
}
