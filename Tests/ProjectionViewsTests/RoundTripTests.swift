import Certification
import LedgerCore
import ProjectionViews
import Testing

struct RoundTripTests {
    func roundTrips<V: Equatable>(_ value: V, _ encode: (V) -> [UInt8], _ decode: ([UInt8]) throws -> V) throws {
        let bytes = encode(value)
        let back = try decode(bytes)
        #expect(back == value)
        #expect(encode(back) == bytes, "canonical: the same value gives the same bytes")
        // Truncated or extended bytes are corrupt rows, never crashes.
        for cut in [0, 1, bytes.count / 2, bytes.count - 1] where cut < bytes.count {
            #expect(throws: ProjectionError.self) { _ = try decode(Array(bytes.prefix(cut))) }
        }
        #expect(throws: ProjectionError.self) { _ = try decode(bytes + [0]) }
    }

    @Test func runViewRoundTrips() throws {
        let view = RunView(
            run: 355_100, omsAttributes: ["energy": .int(6800), "b_field": .double(3.8), "hlt_key": .null, "components": .array([.string("DT")])],
            runClass: "Collisions24", state: .signOff, significant: true, stopReason: "beam dump", lumisectionCount: 1200,
            datasets: [expressName, promptName, "online"], createdAt: t0, updatedAt: LedgerTimestamp(seconds: 1_700_000_100),
            lastSequence: 42)
        try roundTrips(view, { $0.encoded() }, { try RunView(decoding: $0) })
    }

    @Test func datasetViewRoundTrips() throws {
        let view = DatasetView(
            run: 355_100, name: promptName, passKey: "prompt/Collisions2024A", globalState: .open,
            workspaceStates: ["tracker": .signOff, "dt": .completed, "csc": .notSignificant], appearedIn: ["DQM GUI", "DBS"],
            guiDatasetNames: ["/ZeroBias/Run2024A-PromptReco-v1/DQMIO"], cycles: ["c1", "c2"], createdAt: t0, updatedAt: t0,
            lastSequence: 7)
        try roundTrips(view, { $0.encoded() }, { try DatasetView(decoding: $0) })
    }

    @Test func flagRangesViewRoundTrips() throws {
        var view = FlagRangesView()
        view.set(FlagDecision(flag: Flag(.good), sequence: 3), over: ls(1, 100), actorKind: .automatic)
        view.set(FlagDecision(flag: Flag(.bad, comment: "HV trip", cause: "Hardware"), sequence: 9), over: ls(40, 50), actorKind: .human)
        view.set(FlagDecision(flag: Flag(.standby, comment: "HV trip"), sequence: 11), over: ls(90, 120), actorKind: .automatic)
        view.lastSequence = 11
        try roundTrips(view, { $0.encoded() }, { try FlagRangesView(decoding: $0) })
    }

    @Test func omsBitViewRoundTrips() throws {
        var view = OMSBitView()
        view.set(BitDecision(value: true, sequence: 1), over: ls(1, 30))
        view.set(BitDecision(value: nil, sequence: 2), over: ls(10, 12))
        view.set(BitDecision(value: false, sequence: 3), over: ls(31, 31))
        view.lastSequence = 3
        try roundTrips(view, { $0.encoded() }, { try OMSBitView(decoding: $0) })
        #expect(view.counts == BitCounts(trueCount: 27, falseCount: 1, nullCount: 3))
    }

    @Test func luminosityViewRoundTrips() throws {
        var view = LuminosityView()
        view.set(recorded: [1.5, 2, 0], delivered: [1.75, 2.5, 0.25], over: ls(3, 5))
        view.lastSequence = 5
        #expect(view.recorded == [0, 0, 1.5, 2, 0])
        #expect(view.recordedSum == 3.5)
        #expect(view.deliveredSum == 4.5)
        try roundTrips(view, { $0.encoded() }, { try LuminosityView(decoding: $0) })
    }

    @Test func datasetSummaryViewRoundTrips() throws {
        var counts = StatusCounts()
        counts[.good] = 90
        counts[.bad] = 10
        let view = DatasetSummaryView(
            run: 355_100, name: promptName, passKey: "prompt/Collisions2024A", workspaces: ["dt", "tracker"], lumisectionCount: 120,
            components: [
                "dt-dt": .init(counts: counts, commentCounts: ["HV trip": 10], causeCounts: ["Hardware": 10]),
                "tracker-pixel": .init(),
            ],
            dcs: ["cms_active": BitCounts(trueCount: 100, falseCount: 15, nullCount: 5)], recordedLuminosity: 12.5,
            deliveredLuminosity: 13.25,
            certification: [
                "global": .init(
                    goodCounts: [.init(range: ls(1, 39), value: 1), .init(range: ls(51, 100), value: 1)], flaggedComponents: 1,
                    recordedLuminosity: 8.5),
                "dt": .init(),
            ],
            lastSequence: 99)
        // The `summaries` row holds the dataset-level fields; components and groups are rows of their own.
        var header = view
        header.components = [:]
        header.dcs = [:]
        header.certification = [:]
        try roundTrips(header, { $0.encoded() }, { try DatasetSummaryView(decoding: $0) })
        try roundTrips(view.components["dt-dt"]!, { $0.encoded(lastSequence: 5) }, { try DatasetSummaryView.ComponentSummary(decoding: $0) })
        try roundTrips(view.certification["global"]!, { $0.encoded(lastSequence: 5) }, { try DatasetSummaryView.Certification(decoding: $0) })

        // The whole view comes back from its rows (in any order) and the run's OMS rows; components without
        // flags and empty groups have no row.
        var bit = OMSBitView()
        bit.set(BitDecision(value: true, sequence: 1), over: ls(1, 100))
        bit.set(BitDecision(value: false, sequence: 2), over: ls(101, 115))
        bit.set(BitDecision(value: nil, sequence: 3), over: ls(116, 120))
        let rows = view.encodedRows()
        #expect(rows.map(\.key.view) == [.summaries, .componentSummaries, .certifications])
        let back = try DatasetSummaryView(rows: rows.reversed() + [(key: ViewKeys.oms(run: 355_100, bit: "cms_active"), value: bit.encoded())])
        var expected = view
        expected.components["tracker-pixel"] = nil
        expected.certification["tracker"] = .init()  // every workspace of the dataset has a group
        #expect(back == expected)
        #expect(throws: ProjectionError.self) { _ = try DatasetSummaryView(rows: Array(rows.dropFirst())) }
        #expect(throws: ProjectionError.self) {
            _ = try DatasetSummaryView(rows: rows + [(key: ViewKeys.componentSummary(DatasetKey(run: 1, name: promptName), component: "dt-dt"), value: rows[1].value)])
        }
        #expect(view.emptyCount(component: "dt-dt") == 20)
        #expect(view.components["dt-dt"]?.comments == ["HV trip"])
        #expect(view.certification["global"]?.certifiedRanges == [ls(1, 39), ls(51, 100)])
    }

    @Test func passViewRoundTrips() throws {
        let view = PassView(
            passKey: "prompt/Collisions2024A", workspace: "tracker", datasetCounts: [.open: 2, .completed: 5],
            runCounts: [.open: 2, .completed: 4],
            openItems: [
                .init(dataset: DatasetKey(run: 10, name: promptName), state: .open),
                .init(dataset: DatasetKey(run: 12, name: promptName), state: .signOff),
                .init(dataset: DatasetKey(run: 12, name: promptTwinName), state: .waitingDQMGUI),
            ],
            certifiedRecordedLuminosity: 1234.5, lastSequence: 77)
        // The `passes` row holds the counts and luminosity; each open item is a row of its own.
        var counts = view
        counts.openItems = []
        try roundTrips(counts, { $0.encoded() }, { try PassView(decoding: $0) })
        let items: [(key: ViewKey, value: [UInt8])] = view.openItems.reversed().map {
            (key: ViewKeys.passItem(view.passKey, workspace: view.workspace, dataset: $0.dataset), value: [2, $0.state == .open ? 1 : $0.state == .signOff ? 3 : 0])
        }
        let back = try PassView(rows: [(key: ViewKeys.pass(view.passKey, workspace: view.workspace), value: view.encoded())] + items)
        #expect(back == view)
        #expect(throws: ProjectionError.self) { _ = try PassView(rows: items) }
        #expect(throws: ProjectionError.self) {
            _ = try PassView(rows: [(key: ViewKeys.pass(view.passKey, workspace: "dt"), value: view.encoded())] + items)
        }
    }

    @Test func aRowOfAnotherFormatIsACorruptRow() {
        #expect {
            _ = try RunView(decoding: [9, 1, 2])
        } throws: { error in
            (error as? ProjectionError)?.code == .corruptRow
        }
    }
}
