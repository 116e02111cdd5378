import Certification
import LedgerCore
import Testing

@Suite struct EventCodingTests {
    static let k = DatasetKey(run: 355100, name: "/PromptReco/Collisions2022C/DQM")

    /// One event of every type.
    static let samples: [CertificationEvent] = [
        .runCreated(run: 355100, omsAttributes: ["b_field": .double(3.8), "components": .array([.string("DT")])],
                    runClass: "Collisions22", significant: true),
        .runOMSAttributesSet(run: 355100, attributes: ["end_time": .null, "fill_number": .int(8102)]),
        .runClassSet(run: 355100, runClass: "Cosmics22"),
        .runSignificanceSet(run: 355100, significant: false),
        .runStopReasonSet(run: 355100, stopReason: "DAQ problem"),
        .runStateMoved(run: 355100, from: .signOff, to: .open, reason: "pixel flags wrong"),
        .runLumisectionCountSet(run: 355100, count: 1200),
        .datasetCreated(k, globalState: .waitingDQMGUI, workspaceStates: ["csc": .waitingDQMGUI, "dt": .open],
                        appearedIn: ["DBS"]),
        .datasetWorkspaceStateMoved(k, workspace: "csc", from: .open, to: .signOff, reason: ""),
        .datasetGlobalStateMoved(k, from: .waitingDQMGUI, to: .open, reason: "appeared"),
        .datasetAppearedIn(k, source: "DQM GUI", guiDatasetNames: ["/ZeroBias/Run2022C-PromptReco-v1/DQMIO"]),
        .lumisectionFlagsSet(k, component: "dt-dt", range: try! LumisectionRange(10, 20),
                             flag: Flag(.bad, comment: "HV trip", cause: "Hardware"), rule: nil),
        .lumisectionFlagsSet(.online(run: 355100), component: "tracker-pixel", range: try! LumisectionRange(1, 5),
                             flag: Flag(.good), rule: "component-classifier/17@3"),
        .manualOverrideReleased(k, component: "dt-dt", range: try! LumisectionRange(10, 12)),
        .omsLumisectionBitsSet(.online(run: 355100), range: try! LumisectionRange(1, 3),
                               bits: ["cms_active": true, "beam1_present": false, "dt0_ready": nil], comment: ""),
        .omsLuminositySet(.online(run: 355100), range: try! LumisectionRange(1, 3), recorded: [0.25, 0, 1.5e-3],
                          delivered: [0.5, 2, 3]),
        .prescaleSet(.online(run: 355100), range: try! LumisectionRange(1, 3), index: 2, name: "2p0E34"),
        .prescaleSet(.online(run: 355100), range: try! LumisectionRange(4, 4), index: nil, name: "x"),
        .commentAdded(.run(355100), text: "beam dump at LS 400"),
        .commentAdded(.dataset(k), text: "reprocessed"),
        .commentAdded(.lumisections(k, try! LumisectionRange(3, 9), component: "ecal-es"), text: "noisy"),
        .commentAdded(.lumisections(k, try! LumisectionRange(3, 9), component: nil), text: "noisy"),
        .cycleCreated(cycle: "ul2018-3", name: "UL2018 cycle 3", deadline: LedgerTimestamp(iso8601: "2020-05-01"),
                      workspaces: ["csc", "dt"]),
        .cycleCreated(cycle: "c2", name: "no deadline", deadline: nil, workspaces: ["dt"]),
        .cycleDatasetsAdded(cycle: "ul2018-3", datasets: [k]),
        .cycleDatasetsRemoved(cycle: "ul2018-3", datasets: [k]),
        .cycleWorkspaceStateSet(cycle: "ul2018-3", workspace: "csc", state: .completed, reason: ""),
        .classifierSet(Classifier(id: 4, kind: .component, target: "dt-dt", status: .good,
                                  logic: #"{"if":[{"var":"dt_ready"},true,false]}"#, priority: 1)),
        .classifierSet(Classifier(id: 5, kind: .runClass, target: "Collisions22", logic: "true", priority: 2,
                                  enabled: false)),
        .classifierRemoved(kind: .component, id: 4),
        .datasetsAcceptedRuleSet(World.promptRule),
        .datasetsAcceptedRuleSet(World.expressRule),
        .datasetsAcceptedRuleRemoved(id: 1),
        .permissionSet(Permission(id: 40, egroup: "cms-dqm-runregistry-offline-gem-certifiers",
                                  routes: ["/datasets/gem/move_dataset/OPEN/SIGNOFF"])),
        .permissionRemoved(id: 40),
        .componentCatalogueChanged(.cmsDefault),
    ]

    @Test func everyEventSurvivesEncodeBytesDecode() throws {
        var types = Set<String>()
        for event in Self.samples {
            let bytes = event.payload.encoded
            let back = try CertificationEvent.decode(
                type: event.typeName, schemaVersion: event.schemaVersion, payload: CanonicalValue.decode(bytes))
            #expect(back == event, "\(event.typeName)")
            types.insert(event.typeName)
        }
        #expect(types == Set(CertificationEvent.currentSchemaVersions.keys), "every type has a sample")
    }

    @Test func recordedEventsDecodeFromTheirEnvelope() throws {
        let event = Self.samples[11]
        let recorded = RecordedEvent(
            sequence: 9, stream: event.stream.id, streamVersion: 3, type: event.typeName,
            schemaVersion: event.schemaVersion, actor: "jane@cern.ch", actorKind: .human, recordedAt: t0,
            reason: "HV trip", payload: event.payload.encoded)
        #expect(try CertificationEvent.decode(recorded) == event)
        var garbage = recorded
        garbage.payload = [8, 1]
        let error = rejection { try CertificationEvent.decode(garbage) }
        #expect(error?.code == .malformedPayload)
        #expect(error?.message.contains("LumisectionFlagsSet") == true)
    }

    @Test func payloadFieldNamesAreSnakeCase() {
        for event in Self.samples {
            guard case .map(let m) = event.payload else {
                Issue.record("\(event.typeName) payload is not a map")
                continue
            }
            for key in m.keys {
                #expect(key.allSatisfy { $0.isLowercase || $0 == "_" }, "\(event.typeName).\(key)")
            }
        }
    }

    @Test func eventsGoToTheirStreams() {
        #expect(Self.samples[0].stream == .run(355100))
        #expect(Self.samples[7].stream.id == "dataset/355100//PromptReco/Collisions2022C/DQM")
        #expect(Self.samples[18].stream == .run(355100))
        #expect(Self.samples[19].stream == Self.k.stream)
        #expect(Self.samples[22].stream == .cycle("ul2018-3"))
        #expect(Self.samples[30].stream == .config(.datasetsAccepted))
        let proposed = Self.samples[11].proposed(reason: "HV trip")
        #expect(proposed.type == "LumisectionFlagsSet")
        #expect(proposed.schemaVersion == 2)
        #expect(proposed.stream == "dataset/355100//PromptReco/Collisions2022C/DQM")
    }

    @Test func lumisectionFlagsSetVersionOneIsUpcastWithAnEmptyCause() throws {
        let v1: CanonicalValue = .map([
            "run_number": .int(355100), "dataset_name": .string("online"), "component": .string("dt-dt"),
            "first_ls": .int(10), "last_ls": .int(20), "status": .string("BAD"), "comment": .string("HV trip"),
        ])
        let event = try CertificationEvent.decode(type: "LumisectionFlagsSet", schemaVersion: 1, payload: v1)
        #expect(event == .lumisectionFlagsSet(
            .online(run: 355100), component: "dt-dt", range: range(10, 20), flag: Flag(.bad, comment: "HV trip", cause: ""),
            rule: nil))
        let upcast = try CertificationEvent.upcast(type: "LumisectionFlagsSet", schemaVersion: 1, payload: v1)
        #expect(upcast["cause"] == .string(""))
        #expect(upcast["rule"] == .null)
        #expect(CertificationEvent.upcasters.contains { $0.type == "LumisectionFlagsSet" && $0.from == 1 })
        // The current version is passed through untouched.
        let v2 = Self.samples[11].payload
        #expect(try CertificationEvent.upcast(type: "LumisectionFlagsSet", schemaVersion: 2, payload: v2) == v2)
    }

    @Test func unknownTypesAndVersionsAreTypedErrors() {
        #expect(rejection { try CertificationEvent.decode(type: "RunExploded", schemaVersion: 1, payload: .map([:])) }?
            .code == .unknownEventType)
        #expect(rejection { try CertificationEvent.decode(type: "RunClassSet", schemaVersion: 2, payload: .map([:])) }?
            .code == .unsupportedSchemaVersion)
        #expect(rejection { try CertificationEvent.decode(type: "RunClassSet", schemaVersion: 0, payload: .map([:])) }?
            .code == .unsupportedSchemaVersion)
    }

    @Test func malformedPayloadsNameTheFieldButNotTheBytes() {
        let missing = rejection {
            try CertificationEvent.decode(type: "RunClassSet", schemaVersion: 1, payload: .map(["run_number": .int(1)]))
        }
        #expect(missing?.code == .malformedPayload)
        #expect(missing?.message.contains("'class'") == true)
        let wrongType = rejection {
            try CertificationEvent.decode(
                type: "RunStateMoved", schemaVersion: 1,
                payload: .map(["run_number": .int(1), "from": .string("OPEN"), "to": .string("DONE"), "reason": .string("")]))
        }
        #expect(wrongType?.code == .malformedPayload)
        #expect(wrongType?.message.contains("DONE") == true)
        #expect(rejection { try CertificationEvent.decode(type: "RunClassSet", schemaVersion: 1, payload: .int(3)) }?
            .code == .malformedPayload)
        let badRange = rejection {
            try CertificationEvent.decode(
                type: "ManualOverrideReleased", schemaVersion: 1,
                payload: .map(["run_number": .int(1), "dataset_name": .string("online"), "component": .string("dt-dt"),
                               "first_ls": .int(9), "last_ls": .int(3)]))
        }
        #expect(badRange?.code == .malformedPayload)
        let shortLumi = rejection {
            try CertificationEvent.decode(
                type: "OMSLuminositySet", schemaVersion: 1,
                payload: .map(["run_number": .int(1), "dataset_name": .string("online"), "first_ls": .int(1),
                               "last_ls": .int(3), "recorded": .array([.int(1)]), "delivered": .array([.int(1)])]))
        }
        #expect(shortLumi?.code == .malformedPayload)
    }

    @Test func expectationsPinTheAggregateAndCreateNewStreams() {
        let events: [CertificationEvent] = [
            .runStateMoved(run: 355100, from: .open, to: .signOff, reason: ""),
            .datasetCreated(Self.k, globalState: .waitingDQMGUI, workspaceStates: [:], appearedIn: []),
        ]
        let e = events.expectations(aggregateStream: .run(355100), aggregateVersion: 7)
        #expect(e["run/355100"] == .exact(7))
        #expect(e[Self.k.stream.id] == .noStream)
    }
}
