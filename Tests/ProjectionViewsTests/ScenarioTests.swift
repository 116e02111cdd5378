import Certification
import LedgerCore
import ProjectionViews
import Testing

/// A run from creation through sign-off, offline certification and a cycle.
struct ScenarioTests {
    static let run = 500_010
    static let prompt = DatasetKey(run: run, name: promptName)
    static let online = DatasetKey.online(run: run)

    func signedOffRun() throws -> Ledger {
        var l = Ledger()
        l.rules = standardRules
        try l.run(Self.run, .create(omsAttributes: ["energy": .int(6800)], runClass: "", significant: false), robot)
        try l.run(Self.run, .setOMSAttributes(["fill_number": .int(9000), "energy": .int(6500)]), robot)
        try l.run(Self.run, .setClass("Collisions24"), robot)
        try l.run(Self.run, .setLumisectionCount(20), robot)
        try l.run(Self.run, .setStopReason("beam dump"))
        try l.dataset(Self.online, .setLuminosity(range: ls(1, 20), recorded: (1...20).map { Double($0) }, delivered: Array(repeating: 30, count: 20)), robot)
        try l.dataset(Self.online, .setOMSBits(["cms_active": true], range: ls(1, 20), comment: ""), robot)
        try l.dataset(Self.online, .setOMSBits(["cms_active": false, "dt_ready": nil], range: ls(5, 6), comment: ""), robot)
        try l.dataset(Self.online, .setFlags(component: "dt-dt", range: ls(1, 20), flag: Flag(.good)), robot)
        try l.run(Self.run, .moveState(to: .signOff, reason: ""))
        return l
    }

    @Test func runViewFollowsCreationOMSClassAndSignOff() throws {
        let l = try signedOffRun()
        let run = try #require(try l.views.run(Self.run))
        #expect(run.omsAttributes == ["energy": .int(6500), "fill_number": .int(9000)])
        #expect(run.runClass == "Collisions24")
        #expect(run.state == .signOff)
        #expect(run.stopReason == "beam dump")
        #expect(run.lumisectionCount == 20)
        #expect(run.datasets == [expressName, promptName, promptTwinName, "online"].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(run.createdAt == l.log.first!.0.recordedAt)
        #expect(run.lastSequence == l.log.last!.0.sequence)
    }

    @Test func datasetViewsFollowSignOffWorkspaceMovesAppearancesAndCycles() throws {
        var l = try signedOffRun()
        var prompt = try #require(try l.views.dataset(Self.prompt))
        #expect(prompt.passKey == "prompt/Collisions2024A")
        #expect(prompt.globalState == .waitingDQMGUI)
        #expect(prompt.workspaceStates.count == ComponentCatalogue.cmsDefault.offlineWorkspaceNames.count)
        #expect(try l.views.dataset(Self.online)?.globalState == .signOff, "the online dataset follows its run")

        try l.dataset(Self.prompt, .recordAppearance(source: "DQM GUI", guiDatasetNames: ["/ZeroBias/Run2024A-PromptReco-v1/DQMIO"]), robot)
        try l.dataset(Self.prompt, .moveWorkspaceState(workspace: "global", to: .open, reason: ""))
        try l.dataset(Self.prompt, .moveWorkspaceState(workspace: "dt", to: .signOff, reason: ""))
        try l.dataset(Self.prompt, .moveWorkspaceState(workspace: "dt", to: .completed, reason: ""))
        try l.cycle("c1", .create(name: "cycle 1", deadline: nil, workspaces: ["dt"]))
        try l.cycle("c0", .create(name: "cycle 0", deadline: nil, workspaces: ["dt"]))
        try l.cycle("c1", .addDatasets([Self.prompt]))
        try l.cycle("c0", .addDatasets([Self.prompt]))
        prompt = try #require(try l.views.dataset(Self.prompt))
        #expect(prompt.globalState == .open)
        #expect(prompt.workspaceStates["dt"] == .completed)
        #expect(prompt.workspaceStates["tracker"] == .open, "global OPEN opened the waiting workspaces")
        #expect(prompt.appearedIn == ["DQM GUI"])
        #expect(prompt.guiDatasetNames == ["/ZeroBias/Run2024A-PromptReco-v1/DQMIO"])
        #expect(prompt.cycles == ["c0", "c1"])
        try l.cycle("c1", .removeDatasets([Self.prompt]))
        #expect(try l.views.dataset(Self.prompt)?.cycles == ["c0"])

        let dt = try #require(try l.views.pass("prompt/Collisions2024A", "dt"))
        // Two datasets of the run share the prompt pass (the twin name differs in case): one COMPLETED, one waiting.
        #expect(dt.datasetCounts == [.completed: 1, .waitingDQMGUI: 1])
        #expect(dt.runCounts == [.completed: 1, .waitingDQMGUI: 1])
        #expect(dt.openItems == [PassView.OpenItem(dataset: DatasetKey(run: Self.run, name: promptTwinName), state: .waitingDQMGUI)])
        let global = try #require(try l.views.pass("prompt/Collisions2024A", "global"))
        #expect(global.datasetCounts == [.open: 1, .waitingDQMGUI: 1])
        #expect(global.runCounts == [.open: 1, .waitingDQMGUI: 1])
        try l.dataset(DatasetKey(run: Self.run, name: promptTwinName), .moveWorkspaceState(workspace: "global", to: .open, reason: ""))
        let global2 = try #require(try l.views.pass("prompt/Collisions2024A", "global"))
        #expect(global2.datasetCounts == [.open: 2])
        #expect(global2.runCounts == [.open: 1], "one run, two datasets of the pass")
    }

    @Test func summariesCarryOnlineOMSBitsAndRunLuminosityToOfflineDatasets() throws {
        let l = try signedOffRun()
        for key in [Self.online, Self.prompt] {
            let s = try #require(try l.views.summary(key))
            #expect(s.dcs["cms_active"] == BitCounts(trueCount: 18, falseCount: 2, nullCount: 0))
            #expect(s.dcs["dt_ready"] == BitCounts(trueCount: 0, falseCount: 0, nullCount: 2))
            #expect(s.recordedLuminosity == 210)
            #expect(s.deliveredLuminosity == 600)
            #expect(s.lumisectionCount == 20)
        }
        let online = try #require(try l.views.summary(Self.online))
        #expect(online.components["dt-dt"]?.counts[.good] == 20)
        #expect(online.certification["global"]?.recordedLuminosity == 210)
        #expect(try l.views.pass("online", "global")?.certifiedRecordedLuminosity == 210)
        #expect(try l.views.pass("online", "global")?.datasetCounts == [.signOff: 1])
    }

    @Test func aManualFlagOverridesAutomaticOnesUntilReleased() throws {
        var l = try signedOffRun()
        try l.dataset(Self.prompt, .moveWorkspaceState(workspace: "global", to: .open, reason: ""))
        try l.dataset(Self.prompt, .setFlags(component: "dt-dt", range: ls(1, 20), flag: Flag(.good)), robot)
        let autoSeq = l.sequence
        try l.dataset(Self.prompt, .setFlags(component: "dt-dt", range: ls(5, 8), flag: Flag(.bad, comment: "HV trip", cause: "Hardware")))
        let manualSeq = l.sequence
        try l.dataset(Self.prompt, .setFlags(component: "dt-dt", range: ls(1, 20), flag: Flag(.standby, comment: "later")), robot)
        let laterAutoSeq = l.sequence

        var flags = try #require(try l.views.flags(Self.prompt, "dt-dt"))
        #expect(flags.effective(at: 6)?.decision == FlagDecision(flag: Flag(.bad, comment: "HV trip", cause: "Hardware"), sequence: manualSeq))
        #expect(flags.effective(at: 6)?.source == .manual)
        #expect(flags.effective(at: 2)?.decision.sequence == laterAutoSeq)
        #expect(flags.effectiveRanges.map(\.range) == [ls(1, 4), ls(5, 8), ls(9, 20)])
        #expect(autoSeq < laterAutoSeq)

        try l.dataset(Self.prompt, .releaseManualOverride(component: "dt-dt", range: ls(5, 6)))
        flags = try #require(try l.views.flags(Self.prompt, "dt-dt"))
        #expect(flags.effective(at: 5)?.decision == FlagDecision(flag: Flag(.standby, comment: "later"), sequence: laterAutoSeq))
        #expect(flags.effective(at: 5)?.source == .automatic)
        #expect(flags.effective(at: 7)?.source == .manual)
        #expect(flags.effectiveRanges.map(\.range) == [ls(1, 6), ls(7, 8), ls(9, 20)])

        let s = try #require(try l.views.summary(Self.prompt))
        #expect(s.components["dt-dt"]?.counts[.standby] == 18)
        #expect(s.components["dt-dt"]?.counts[.bad] == 2)
        #expect(s.components["dt-dt"]?.comments == ["HV trip", "later"])
        #expect(s.components["dt-dt"]?.causes == ["Hardware"])
        #expect(s.emptyCount(component: "dt-dt") == 0)
    }

    @Test func openItemsAreRowsThatAppearAndDisappearUnderThePassPrefix() throws {
        var l = try signedOffRun()
        let prefix = ViewKeys.passItemsPrefix("prompt/Collisions2024A", workspace: "dt")
        let twin = DatasetKey(run: Self.run, name: promptTwinName)
        func listed() -> [ViewEntity?] { l.views.scan(prefix).map { ViewKeys.parse($0.key) } }
        // Both datasets of the prompt pass wait for the DQM GUI in dt: two items, sorted by run then name.
        #expect(listed() == [Self.prompt, twin].map { .passItem(passKey: "prompt/Collisions2024A", workspace: "dt", dataset: $0) })
        #expect(l.views.scan(prefix).map(\.value) == [[2, 0], [2, 0]])

        try l.dataset(Self.prompt, .moveWorkspaceState(workspace: "global", to: .open, reason: ""))
        try l.dataset(Self.prompt, .moveWorkspaceState(workspace: "dt", to: .signOff, reason: ""))
        #expect(l.views.scan(prefix).first?.value == [2, 3], "the item row follows the state")
        let before = l.views.history.count
        try l.dataset(Self.prompt, .moveWorkspaceState(workspace: "dt", to: .completed, reason: ""))
        let written = l.views.history[before...].map(\.1)
        #expect(written.contains(ViewUpdate(key: ViewKeys.passItem("prompt/Collisions2024A", workspace: "dt", dataset: Self.prompt), value: nil)),
                "completing deletes the item row")
        #expect(listed() == [.passItem(passKey: "prompt/Collisions2024A", workspace: "dt", dataset: twin)])
        // The pass row stays small: counts only, whatever the number of items.
        let row = try #require(l.views.rows[ViewKeys.pass("prompt/Collisions2024A", workspace: "dt")])
        #expect(row.count < 64)
        try l.dataset(Self.prompt, .moveWorkspaceState(workspace: "dt", to: .open, reason: "reopened"))
        #expect(listed().count == 2, "reopening lists it again")
    }

    @Test func theSummaryIsAssembledFromPerComponentRows() throws {
        var l = try signedOffRun()
        try l.dataset(Self.prompt, .moveWorkspaceState(workspace: "global", to: .open, reason: ""))
        try l.dataset(Self.prompt, .setFlags(component: "dt-dt", range: ls(1, 20), flag: Flag(.good)), robot)
        try l.dataset(Self.prompt, .setFlags(component: "csc-csc", range: ls(1, 10), flag: Flag(.good)), robot)
        let before = l.views.history.count
        try l.dataset(Self.prompt, .setFlags(component: "csc-csc", range: ls(3, 4), flag: Flag(.bad, comment: "HV trip")))
        // A flag event rewrites its component's rows and the groups it changes, never a dataset-wide row.
        let keys = Set(l.views.history[before...].map(\.1.key))
        #expect(keys == [
            ViewKeys.flags(Self.prompt, component: "csc-csc"), ViewKeys.componentSummary(Self.prompt, component: "csc-csc"),
            ViewKeys.certification(Self.prompt, workspace: "global"), ViewKeys.certification(Self.prompt, workspace: "csc"),
            ViewKeys.pass("prompt/Collisions2024A", workspace: "global"), ViewKeys.pass("prompt/Collisions2024A", workspace: "csc"),
        ])
        #expect(l.views.scan(ViewKeys.componentSummariesPrefix(Self.prompt)).count == 2)
        let s = try #require(try l.views.summary(Self.prompt))
        #expect(s.components["csc-csc"]?.counts[.good] == 8)
        #expect(s.components["csc-csc"]?.counts[.bad] == 2)
        #expect(s.components["dt-dt"]?.counts[.good] == 20)
        #expect(s.certification["global"]?.certifiedRanges == [ls(1, 2), ls(5, 10)])
        #expect(s.certification["global"]?.recordedLuminosity == Double((1...2).reduce(0, +) + (5...10).reduce(0, +)))
        #expect(s.certification["tracker"] == DatasetSummaryView.Certification(), "a group without flags has no row and is empty")
        #expect(s.dcs["cms_active"] == BitCounts(trueCount: 18, falseCount: 2, nullCount: 0), "DCS counts come from the run's oms rows")
        #expect(try l.views.pass("prompt/Collisions2024A", "global")?.certifiedRecordedLuminosity == s.certification["global"]?.recordedLuminosity)
    }

    @Test func anUnchangedRowIsNotRewritten() throws {
        var l = try signedOffRun()
        try l.dataset(Self.prompt, .moveWorkspaceState(workspace: "global", to: .open, reason: ""))
        try l.dataset(Self.prompt, .setFlags(component: "dt-dt", range: ls(1, 20), flag: Flag(.good)), robot)
        let before = l.views.history.count
        // Re-setting the same flag changes the flag row's provenance only: the summary rows stay as they are.
        try l.dataset(Self.prompt, .setFlags(component: "dt-dt", range: ls(1, 20), flag: Flag(.good)), robot)
        #expect(l.views.history[before...].map(\.1.key) == [ViewKeys.flags(Self.prompt, component: "dt-dt")])
    }

    @Test func eventsTheViewsIgnoreChangeNothing() throws {
        var l = try signedOffRun()
        let before = l.views.rows
        try l.run(Self.run, .addComment("a note"))
        try l.dataset(Self.online, .setPrescale(range: ls(1, 2), index: 1, name: "p1"), robot)
        #expect(l.views.rows == before)
    }
}
