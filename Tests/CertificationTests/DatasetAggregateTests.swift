import Certification
import LedgerCore
import Testing

@Suite struct DatasetFlagTests {
    let n = 355100
    var online: DatasetKey { .online(run: n) }

    @Test func badNeedsACommentOfAtLeastThreeCharacters() throws {
        var w = World.openRun(n)
        for comment in ["", "  ", "ok", " ab "] {
            let error = rejection {
                try w.execute(.dataset(online, .setFlags(component: "dt-dt", range: range(10, 20), flag: Flag(.bad, comment: comment))))
            }
            #expect(error?.code == .commentRequired, "'\(comment)'")
            #expect(error?.message.contains("LS 10–20") == true)
        }
        let events = try w.execute(.dataset(online, .setFlags(component: "dt-dt", range: range(10, 20), flag: Flag(.bad, comment: "HV trip", cause: "Hardware"))))
        #expect(events == [.lumisectionFlagsSet(online, component: "dt-dt", range: range(10, 20),
                                                flag: Flag(.bad, comment: "HV trip", cause: "Hardware"), rule: nil)])
        #expect(w.dataset(online).flags.flag(component: "dt-dt", at: 15)?.status == .bad)
        // Other statuses need no comment.
        try w.execute(.dataset(online, .setFlags(component: "dt-dt", range: range(10, 20), flag: Flag(.standby))))
    }

    @Test func rangesMustLieWithinTheRunsLumisections() throws {
        var w = World.openRun(n, count: 100)
        let error = rejection {
            try w.execute(.dataset(online, .setFlags(component: "dt-dt", range: range(90, 101), flag: Flag(.good))))
        }
        #expect(error?.code == .lumisectionOutOfRange)
        #expect(error?.message.contains("1–100") == true)
        var fresh = World()
        try fresh.execute(.run(n, .create(omsAttributes: [:], runClass: "", significant: false)))
        #expect(rejection {
            try fresh.execute(.dataset(online, .setFlags(component: "dt-dt", range: range(1, 1), flag: Flag(.good))))
        }?.code == .lumisectionOutOfRange)
    }

    @Test func componentKeysMustBeWorkspaceColumn() {
        var w = World.openRun(n)
        #expect(rejection {
            try w.execute(.dataset(online, .setFlags(component: "dt", range: range(1, 1), flag: Flag(.good))))
        }?.code == .invalidArgument)
    }

    @Test func automaticFlagsCarryTheRuleAndManualFlagsDoNot() throws {
        var w = World.openRun(n)
        let auto = try w.execute(.dataset(online, .setFlags(component: "rpc-hv", range: range(1, 5), flag: Flag(.good))), classifier)
        #expect(auto == [.lumisectionFlagsSet(online, component: "rpc-hv", range: range(1, 5), flag: Flag(.good),
                                              rule: "component-classifier/17@3")])
        let ruled = CommandContext(actor: "jane@cern.ch", actorKind: .human, time: t0, rule: "ignored")
        let manual = try w.execute(.dataset(online, .setFlags(component: "rpc-hv", range: range(1, 5), flag: Flag(.good))), ruled)
        #expect(manual == [.lumisectionFlagsSet(online, component: "rpc-hv", range: range(1, 5), flag: Flag(.good), rule: nil)])
    }

    @Test func aManualFlagOverridesLaterAutomaticFlagsUntilReleased() throws {
        var w = World.openRun(n)
        try w.execute(.dataset(online, .setFlags(component: "dt-dt", range: range(10, 20), flag: Flag(.bad, comment: "HV trip"))))
        try w.execute(.dataset(online, .setFlags(component: "dt-dt", range: range(1, 100), flag: Flag(.excluded))), classifier)
        var flags = w.dataset(online).flags
        #expect(flags.effective(component: "dt-dt", at: 15) == .init(flag: Flag(.bad, comment: "HV trip"), source: .manual))
        #expect(flags.effective(component: "dt-dt", at: 9) == .init(flag: Flag(.excluded), source: .automatic))
        // A partial release shows the automatic flag again only where released.
        try w.execute(.dataset(online, .releaseManualOverride(component: "dt-dt", range: range(10, 14))))
        flags = w.dataset(online).flags
        #expect(flags.flag(component: "dt-dt", at: 12)?.status == .excluded)
        #expect(flags.flag(component: "dt-dt", at: 15)?.status == .bad)
        #expect(flags.effectiveMap(component: "dt-dt").segments.map(\.range) == [range(1, 14), range(15, 20), range(21, 100)])
        #expect(flags.flags(component: "dt-dt").segments.count == 3)
    }

    @Test func releasingWhereThereIsNoManualFlagIsRejected() throws {
        var w = World.openRun(n)
        let error = rejection { try w.execute(.dataset(online, .releaseManualOverride(component: "dt-dt", range: range(1, 5)))) }
        #expect(error?.code == .nothingToRelease)
        #expect(error?.message.contains("dt-dt") == true)
    }

    @Test func onlyAPersonCanReleaseAnOverride() throws {
        var w = World.openRun(n)
        try w.execute(.dataset(online, .setFlags(component: "dt-dt", range: range(1, 5), flag: Flag(.good))))
        #expect(rejection { try w.execute(.dataset(online, .releaseManualOverride(component: "dt-dt", range: range(1, 5))), classifier) }?
            .code == .humanActorRequired)
    }

    @Test func offlineFlagsFollowTheWorkspaceState() throws {
        var w = World.signedOffRun(n)
        let k = DatasetKey(run: n, name: "/PromptReco/Collisions2022C/DQM")
        // Waiting: classifiers may write, people may not.
        try w.execute(.dataset(k, .setFlags(component: "csc-occupancy", range: range(1, 100), flag: Flag(.good))), classifier)
        let waiting = rejection { try w.execute(.dataset(k, .setFlags(component: "csc-occupancy", range: range(1, 5), flag: Flag(.good)))) }
        #expect(waiting?.code == .workspaceNotEditable)
        #expect(waiting?.message.contains("workspace csc is 'waiting dqm gui'") == true)
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "csc", to: .open, reason: "")))
        try w.execute(.dataset(k, .setFlags(component: "csc-occupancy", range: range(1, 5), flag: Flag(.bad, comment: "hot chamber"))))
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "csc", to: .signOff, reason: "")))
        #expect(rejection { try w.execute(.dataset(k, .setFlags(component: "csc-occupancy", range: range(1, 5), flag: Flag(.good))), classifier) }?
            .code == .workspaceNotEditable)
        // A component without its own workspace follows the global state.
        #expect(rejection { try w.execute(.dataset(k, .setFlags(component: "dc-lowlumi", range: range(1, 5), flag: Flag(.good)))) }?
            .code == .workspaceNotEditable)
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "global", to: .open, reason: "")))
        try w.execute(.dataset(k, .setFlags(component: "dc-lowlumi", range: range(1, 5), flag: Flag(.good))))
    }

    @Test func omsBitsNeedACommentFromPeopleAndAnOpenRunOnline() throws {
        var w = World.openRun(n)
        let bits: [String: Bool?] = ["cms_active": true, "beam1_present": nil]
        #expect(rejection { try w.execute(.dataset(online, .setOMSBits(bits, range: range(1, 5), comment: "x"))) }?.code == .commentRequired)
        #expect(try w.execute(.dataset(online, .setOMSBits(bits, range: range(1, 5), comment: "DCS glitch"))).count == 1)
        #expect(try w.execute(.dataset(online, .setOMSBits(bits, range: range(1, 5), comment: "")), classifier).count == 1)
        #expect(rejection { try w.execute(.dataset(online, .setOMSBits([:], range: range(1, 5), comment: "xyz"))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.dataset(online, .setOMSBits(["bad name": true], range: range(1, 5), comment: "xyz"))) }?.code == .invalidArgument)
        var s = World.signedOffRun(n)
        #expect(rejection { try s.execute(.dataset(online, .setOMSBits(bits, range: range(1, 5), comment: "")), classifier) }?.code == .runNotOpen)
    }

    @Test func luminosityNeedsOneFiniteValuePerLumisectionInAnyState() throws {
        var w = World.signedOffRun(n)
        #expect(try w.execute(.dataset(online, .setLuminosity(range: range(1, 3), recorded: [0.1, 0.2, 0.3], delivered: [0.2, 0.3, 0.4])), classifier).count == 1)
        #expect(rejection { try w.execute(.dataset(online, .setLuminosity(range: range(1, 3), recorded: [0.1], delivered: [0.2, 0.3, 0.4]))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.dataset(online, .setLuminosity(range: range(1, 1), recorded: [.nan], delivered: [0]))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.dataset(online, .setLuminosity(range: range(1, 1), recorded: [-1], delivered: [0]))) }?.code == .invalidArgument)
    }

    @Test func prescalesNeedAnIndexOrAName() throws {
        var w = World.openRun(n)
        #expect(try w.execute(.dataset(online, .setPrescale(range: range(1, 50), index: 3, name: "2p0E34"))).count == 1)
        #expect(rejection { try w.execute(.dataset(online, .setPrescale(range: range(1, 50), index: nil, name: nil))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.dataset(online, .setPrescale(range: range(1, 50), index: -1, name: nil))) }?.code == .invalidArgument)
    }

    @Test func commentsTargetADatasetOrARange() throws {
        var w = World.openRun(n)
        #expect(try w.execute(.dataset(online, .addComment("looks fine", range: nil, component: nil)))
            == [.commentAdded(.dataset(online), text: "looks fine")])
        #expect(try w.execute(.dataset(online, .addComment("noisy", range: range(3, 4), component: "ecal-es")))
            == [.commentAdded(.lumisections(online, range(3, 4), component: "ecal-es"), text: "noisy")])
        #expect(rejection { try w.execute(.dataset(online, .addComment("noisy", range: nil, component: "ecal-es"))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.dataset(online, .addComment("", range: nil, component: nil))) }?.code == .commentRequired)
        #expect(rejection { try w.execute(.dataset(online, .addComment("x", range: range(1, 500), component: nil))) }?.code == .lumisectionOutOfRange)
    }
}

@Suite struct DatasetStateTests {
    let n = 355100
    let k = DatasetKey(run: 355100, name: "/PromptReco/Collisions2022C/DQM")

    @Test func everyAllowedWorkspaceMoveSucceeds() throws {
        var w = World.signedOffRun(n)
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .open, reason: "")), classifier)
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .signOff, reason: "")))
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .open, reason: "missed a bad LS")))
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .signOff, reason: "")))
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .completed, reason: "")))
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .signOff, reason: "recheck")))
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .completed, reason: "")))
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .open, reason: "reopen")))
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "csc", to: .notSignificant, reason: "")), classifier)
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "csc", to: .open, reason: "it is significant")))
        #expect(w.dataset(k).workspaceStates["dt"] == .open)
        #expect(w.dataset(k).workspaceStates["csc"] == .open)
    }

    @Test func refusedWorkspaceMovesNameDatasetWorkspaceStatesAndAllowedMoves() throws {
        var w = World.signedOffRun(n)
        let error = rejection { try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .completed, reason: "x"))) }
        #expect(error?.code == .invalidTransition)
        let message = error?.message ?? ""
        for part in ["355100", k.name, "workspace dt", "'waiting dqm gui'", "'COMPLETED'", "'OPEN', 'not significant for workspace'"] {
            #expect(message.contains(part), "\(part) in \(message)")
        }
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .open, reason: "")))
        #expect(rejection { try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .completed, reason: ""))) }?.code == .invalidTransition)
        #expect(rejection { try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .waitingDQMGUI, reason: "x"))) }?.code == .invalidTransition)
        #expect(rejection { try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .open, reason: ""))) }?.code == .invalidTransition)
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .signOff, reason: "")))
        #expect(rejection { try w.execute(.dataset(k, .moveWorkspaceState(workspace: "dt", to: .open, reason: ""))) }?.code == .reasonRequired)
        #expect(rejection { try w.execute(.dataset(k, .moveWorkspaceState(workspace: "nope", to: .open, reason: ""))) }?.code == .notFound)
        #expect(rejection { try w.execute(.dataset(.online(run: n), .moveWorkspaceState(workspace: "global", to: .open, reason: ""))) }?.code == .invalidArgument)
    }

    @Test func theStateTablesMatchTheDocumentedMachine() {
        #expect(DatasetWorkspaceState.waitingDQMGUI.allowedMoves == [.open, .notSignificant])
        #expect(DatasetWorkspaceState.open.allowedMoves == [.signOff])
        #expect(DatasetWorkspaceState.signOff.allowedMoves == [.open, .completed])
        #expect(DatasetWorkspaceState.completed.allowedMoves == [.open, .signOff])
        #expect(DatasetWorkspaceState.notSignificant.allowedMoves == [.open])
        #expect(DatasetWorkspaceState.direction(from: .completed, to: .open) == .backward)
        #expect(DatasetWorkspaceState.direction(from: .open, to: .signOff) == .forward)
    }

    @Test func openingGloballyFromWaitingOpensEveryWaitingWorkspace() throws {
        var w = World.signedOffRun(n)
        try w.execute(.dataset(k, .moveWorkspaceState(workspace: "csc", to: .notSignificant, reason: "")), classifier)
        let events = try w.execute(.dataset(k, .moveWorkspaceState(workspace: "global", to: .open, reason: "")))
        #expect(events.first == .datasetGlobalStateMoved(k, from: .waitingDQMGUI, to: .open, reason: ""))
        #expect(events.count == ComponentCatalogue.cmsDefault.offlineWorkspaces.count)
        #expect(w.dataset(k).globalState == .open)
        #expect(w.dataset(k).workspaceStates["csc"] == .notSignificant)
        #expect(w.dataset(k).workspaceStates["dt"] == .open)
    }

    @Test func creatingAnOfflineDatasetNeedsAValidNameAndAnExistingRun() throws {
        var w = World.openRun(n)
        let rereco = DatasetKey(run: n, name: "/ReReco/Run2022C-v1/DQM")
        let events = try w.execute(.dataset(rereco, .create(workspaces: ["dt", "csc"])))
        #expect(events == [.datasetCreated(rereco, globalState: .waitingDQMGUI,
                                           workspaceStates: ["dt": .waitingDQMGUI, "csc": .waitingDQMGUI], appearedIn: [])])
        #expect(rejection { try w.execute(.dataset(rereco, .create(workspaces: ["dt"]))) }?.code == .alreadyExists)
        #expect(rejection { try w.execute(.dataset(DatasetKey(run: n, name: "/Foo/Bar/DQM"), .create(workspaces: ["dt"]))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.dataset(DatasetKey(run: n, name: "/ReReco/Run2022C-v2/DQM"), .create(workspaces: []))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.dataset(DatasetKey(run: n, name: "/ReReco/Run2022C-v2/DQM"), .create(workspaces: ["global"]))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.dataset(.online(run: n), .create(workspaces: ["dt"]))) }?.code == .alreadyExists)
        #expect(rejection { try w.execute(.dataset(DatasetKey(run: 1, name: "/ReReco/Run2022C-v2/DQM"), .create(workspaces: ["dt"]))) }?.code == .notFound)
        #expect(rejection { try w.execute(.dataset(DatasetKey(run: n, name: "/ReReco/Run2022C-v9/DQM"), .setFlags(component: "dt-dt", range: range(1, 1), flag: Flag(.good)))) }?.code == .notFound)
    }

    @Test func appearancesAreRecordedOnceAndNewGUINamesAreAdded() throws {
        var w = World.signedOffRun(n)
        let name = "/ZeroBias/Run2022C-PromptReco-v1/DQMIO"
        #expect(try w.execute(.dataset(k, .recordAppearance(source: "DQM GUI", guiDatasetNames: [name, name])), classifier)
            == [.datasetAppearedIn(k, source: "DQM GUI", guiDatasetNames: [name])])
        #expect(try w.execute(.dataset(k, .recordAppearance(source: "DQM GUI", guiDatasetNames: [name])), classifier).isEmpty)
        #expect(try w.execute(.dataset(k, .recordAppearance(source: "DBS", guiDatasetNames: [])), classifier).count == 1)
        #expect(w.dataset(k).appearedIn == ["DQM GUI", "DBS"])
        #expect(w.dataset(k).guiDatasetNames == [name])
        #expect(rejection { try w.execute(.dataset(k, .recordAppearance(source: "", guiDatasetNames: []))) }?.code == .invalidArgument)
    }
}
