import Certification
import LedgerCore
import Testing

@Suite struct RunAggregateTests {
    let n = 355100

    @Test func creatingARunOpensItAndCreatesItsOnlineDataset() throws {
        var w = World()
        let events = try w.execute(.run(n, .create(omsAttributes: ["fill_number": .int(8000)], runClass: "", significant: false)))
        #expect(events.map(\.typeName) == ["RunCreated", "DatasetCreated"])
        #expect(w.run(n).exists)
        #expect(w.run(n).state == .open)
        #expect(w.run(n).version == 1)
        #expect(w.dataset(.online(run: n)).exists)
        #expect(events.expectations(aggregateStream: .run(n), aggregateVersion: 0)["dataset/355100/online"] == .noStream)
    }

    @Test func creatingARunTwiceIsRejected() {
        var w = World.openRun(n)
        #expect(rejection { try w.execute(.run(n, .create(omsAttributes: [:], runClass: "", significant: false))) }?
            .code == .alreadyExists)
    }

    @Test func commandsOnAMissingRunAreRejected() {
        var w = World()
        let error = rejection { try w.execute(.run(n, .setClass("Collisions22"))) }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("355100") == true)
    }

    @Test func editsWhileOpenProduceEventsAndUnchangedValuesProduceNone() throws {
        var w = World.openRun(n)
        #expect(try w.execute(.run(n, .setClass("Cosmics22"))).map(\.typeName) == ["RunClassSet"])
        #expect(w.run(n).runClass == "Cosmics22")
        #expect(try w.execute(.run(n, .setClass("Cosmics22"))).isEmpty)
        #expect(try w.execute(.run(n, .setStopReason("DAQ"))).map(\.typeName) == ["RunStopReasonSet"])
        #expect(w.run(n).stopReason == "DAQ")
        #expect(try w.execute(.run(n, .setSignificance(false))).map(\.typeName) == ["RunSignificanceSet"])
        #expect(try w.execute(.run(n, .markSignificant)).map(\.typeName) == ["RunSignificanceSet"])
        #expect(rejection { try w.execute(.run(n, .markSignificant)) }?.code == .invalidArgument)
        #expect(try w.execute(.run(n, .setOMSAttributes(["fill_number": .int(8000), "end_time": .string("x")])))
            == [.runOMSAttributesSet(run: n, attributes: ["end_time": .string("x")])])
        #expect(w.run(n).omsAttributes["end_time"] == .string("x"))
        #expect(try w.execute(.run(n, .setLumisectionCount(120))).map(\.typeName) == ["RunLumisectionCountSet"])
        #expect(w.run(n).lumisectionCount == 120)
        #expect(rejection { try w.execute(.run(n, .setLumisectionCount(-1))) }?.code == .invalidArgument)
        #expect(rejection { try w.execute(.run(n, .setClass("two\nlines"))) }?.code == .invalidArgument)
    }

    @Test func runEditsAreRejectedUnlessTheRunIsOpen() throws {
        var w = World.signedOffRun(n)
        let commands: [RunCommand] = [
            .setClass("Cosmics22"), .setStopReason("x"), .setSignificance(false), .markSignificant,
            .setOMSAttributes(["a": .int(1)]), .setLumisectionCount(5),
        ]
        for c in commands {
            let error = rejection { try w.execute(.run(n, c)) }
            #expect(error?.code == .runNotOpen, "\(c)")
            #expect(error?.message.contains("SIGNOFF") == true)
        }
        let flag = rejection {
            try w.execute(.dataset(.online(run: n), .setFlags(component: "dt-dt", range: range(1, 2), flag: Flag(.good))))
        }
        #expect(flag?.code == .runNotOpen)
    }

    @Test func commentsAreAcceptedInAnyStateButNotBlank() throws {
        var w = World.signedOffRun(n)
        #expect(try w.execute(.run(n, .addComment("beam dump"))) == [.commentAdded(.run(n), text: "beam dump")])
        #expect(rejection { try w.execute(.run(n, .addComment("   "))) }?.code == .commentRequired)
    }

    @Test func signOffMovesTheRunAndCreatesTheAcceptedOfflineDatasets() throws {
        var w = World.openRun(n)
        try w.execute(.config(.setDatasetsAcceptedRule(World.promptRule)))
        try w.execute(.config(.setDatasetsAcceptedRule(World.expressRule)))
        // Not selected: another class, outside the run range, disabled.
        try w.execute(.config(.setDatasetsAcceptedRule(DatasetsAcceptedRule(
            id: 3, name: "/PromptReco/Cosmics22/DQM", regexp: "x", runClass: "Cosmics22", runFrom: nil, runTo: nil))))
        try w.execute(.config(.setDatasetsAcceptedRule(DatasetsAcceptedRule(
            id: 4, name: "/PromptReco/Collisions2022D/DQM", regexp: "x", runClass: "Collisions22", runFrom: 357001,
            runTo: 358000))))
        try w.execute(.config(.setDatasetsAcceptedRule(DatasetsAcceptedRule(
            id: 5, name: "/ReReco/Run2022C-v1/DQM", regexp: "x", runClass: "Collisions22", runFrom: nil, runTo: nil,
            enabled: false))))
        let events = try w.execute(.run(n, .moveState(to: .signOff, reason: "")))
        #expect(events.first == .runStateMoved(run: n, from: .open, to: .signOff, reason: ""))
        let created = events.compactMap { e -> DatasetKey? in
            if case .datasetCreated(let k, _, _, _) = e { return k }
            return nil
        }
        #expect(created.map(\.name) == ["/Express/Collisions2022/DQM", "/PromptReco/Collisions2022C/DQM"])
        let prompt = w.dataset(DatasetKey(run: n, name: "/PromptReco/Collisions2022C/DQM"))
        #expect(prompt.globalState == .waitingDQMGUI)
        #expect(prompt.workspaceStates.count == ComponentCatalogue.cmsDefault.offlineWorkspaces.count)
        #expect(prompt.workspaceStates.values.allSatisfy { $0 == .waitingDQMGUI })
        #expect(w.run(n).state == .signOff)
        let e = events.expectations(aggregateStream: .run(n), aggregateVersion: 18)
        #expect(e["run/\(n)"] == .exact(18))
        #expect(e[prompt.stream.id] == .noStream)
    }

    @Test func signOffAgainAfterReopeningDoesNotRecreateDatasets() throws {
        var w = World.signedOffRun(n)
        try w.execute(.run(n, .moveState(to: .open, reason: "pixel flags need a fix")))
        let events = try w.execute(.run(n, .moveState(to: .signOff, reason: "")))
        #expect(events.map(\.typeName) == ["RunStateMoved"])
    }

    @Test func signOffIsRejectedWhileAnLSHasNoOnlineFlag() throws {
        var w = World.openRun(n, count: 100, flagged: false)
        for c in ComponentCatalogue.cmsDefault.certifiableOnlineComponents where c != "dt-dt" {
            try w.execute(.dataset(.online(run: n), .setFlags(component: c, range: range(1, 100), flag: Flag(.notSet))), classifier)
        }
        try w.execute(.dataset(.online(run: n), .setFlags(component: "dt-dt", range: range(1, 40), flag: Flag(.good))), classifier)
        try w.execute(.dataset(.online(run: n), .setFlags(component: "dt-dt", range: range(61, 100), flag: Flag(.good))))
        let error = rejection { try w.execute(.run(n, .moveState(to: .signOff, reason: ""))) }
        #expect(error?.code == .signOffBlocked)
        #expect(error?.message.contains("dt-dt (LS 41–60)") == true)
        #expect(w.run(n).state == .open)
        // NOTSET counts as set: once dt-dt is covered, sign-off passes.
        try w.execute(.dataset(.online(run: n), .setFlags(component: "dt-dt", range: range(41, 60), flag: Flag(.notSet))))
        #expect(try w.execute(.run(n, .moveState(to: .signOff, reason: ""))).count == 1)
    }

    @Test func signOffIsRejectedWithoutAClass() throws {
        var w = World.openRun(n)
        try w.execute(.run(n, .setClass("")))
        let error = rejection { try w.execute(.run(n, .moveState(to: .signOff, reason: ""))) }
        #expect(error?.code == .signOffBlocked)
        #expect(error?.message.contains("no class") == true)
    }

    @Test func signOffOfASignificantRunNeedsTheLumisectionCount() throws {
        var w = World()
        try w.execute(.run(n, .create(omsAttributes: [:], runClass: "Collisions22", significant: true)))
        #expect(rejection { try w.execute(.run(n, .moveState(to: .signOff, reason: ""))) }?.code == .signOffBlocked)
    }

    @Test func aNonSignificantRunSignsOffWithoutFlags() throws {
        var w = World()
        try w.execute(.run(n, .create(omsAttributes: [:], runClass: "Collisions22", significant: false)))
        #expect(try w.execute(.run(n, .moveState(to: .signOff, reason: ""))).count == 1)
    }

    @Test func signOffWithoutInputsIsRejected() throws {
        let w = World.openRun(n)
        let error = rejection { try w.run(n).decide(.moveState(to: .signOff, reason: ""), context: shifter) }
        #expect(error?.code == .invalidArgument)
    }

    @Test func everyAllowedRunMoveSucceedsAndBackwardMovesNeedAReason() throws {
        var w = World.signedOffRun(n)
        try w.execute(.run(n, .moveState(to: .completed, reason: "")))
        #expect(w.run(n).state == .completed)
        #expect(rejection { try w.execute(.run(n, .moveState(to: .signOff, reason: " "))) }?.code == .reasonRequired)
        try w.execute(.run(n, .moveState(to: .signOff, reason: "recheck")))
        #expect(rejection { try w.execute(.run(n, .moveState(to: .open, reason: ""))) }?.code == .reasonRequired)
        try w.execute(.run(n, .moveState(to: .open, reason: "fix flags")))
        try w.execute(.run(n, .moveState(to: .signOff, reason: "")))
        try w.execute(.run(n, .moveState(to: .completed, reason: "")))
        try w.execute(.run(n, .moveState(to: .open, reason: "reopen for ECAL")))
        #expect(w.run(n).state == .open)
    }

    @Test func refusedRunMovesNameTheAllowedOnes() throws {
        var w = World.openRun(n)
        let skip = rejection { try w.execute(.run(n, .moveState(to: .completed, reason: "x"))) }
        #expect(skip?.code == .invalidTransition)
        #expect(skip?.message.contains("allowed from OPEN: SIGNOFF") == true)
        let same = rejection { try w.execute(.run(n, .moveState(to: .open, reason: "x"))) }
        #expect(same?.code == .invalidTransition)
        #expect(same?.message.contains("already") == true)
        #expect(RunState.open.allowedMoves == [.signOff])
        #expect(RunState.signOff.allowedMoves == [.open, .completed])
        #expect(RunState.completed.allowedMoves == [.open, .signOff])
    }

    @Test func recordedEventsFoldWithTheirStreamVersions() throws {
        var run = RunAggregate(runNumber: n)
        let events: [CertificationEvent] = [
            .runCreated(run: n, omsAttributes: [:], runClass: "Collisions22", significant: true),
            .runLumisectionCountSet(run: n, count: 10),
        ]
        for (i, e) in events.enumerated() {
            try run.apply(RecordedEvent(
                sequence: UInt64(i + 1), stream: e.stream.id, streamVersion: UInt64(i + 1), type: e.typeName,
                schemaVersion: e.schemaVersion, actor: "a", actorKind: .automatic, recordedAt: t0, reason: "",
                payload: e.payload.encoded))
        }
        #expect(run.version == 2)
        #expect(run.lumisectionCount == 10)
        let foreign = RecordedEvent(
            sequence: 3, stream: "run/1", streamVersion: 1, type: "RunClassSet", schemaVersion: 1, actor: "a",
            actorKind: .human, recordedAt: t0, reason: "", payload: CertificationEvent.runClassSet(run: 1, runClass: "x").payload.encoded)
        #expect(rejection { try run.apply(foreign) }?.code == .invalidArgument)
        // Events of other streams are ignored by the in-memory fold.
        run.apply(.runClassSet(run: 1, runClass: "x"), recordedAt: t0, actorKind: .human)
        #expect(run.version == 2)
        #expect(run.runClass == "Collisions22")
    }
}
