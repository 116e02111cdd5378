import Certification
import LedgerCore
import ProjectionViews
import Testing

/// Random histories through the real command path, checked against a per-lumisection recomputation.
struct PropertyTests {
    static let components = ["tracker-pixel", "tracker-strip", "dt-dt", "dc-lowlumi", "csc-csc"]
    static let bitNames = ["cms_active", "dt_ready", "beam_present"]
    static let comments = ["", "HV trip", "noisy", "timing scan"]
    static let causes = ["", "Hardware", "Software"]

    static func history(seed: UInt64, steps: Int = 300) -> Ledger {
        var rng = SplitMix64(seed: seed)
        var l = Ledger()
        l.rules = standardRules
        let runs = [499_990, 500_001, 500_002]
        func range(_ count: Int) -> LumisectionRange {
            let a = Int.random(in: 1...count, using: &rng)
            return ls(a, Int.random(in: a...min(count, a + Int.random(in: 0...20, using: &rng)), using: &rng))
        }
        func value() -> Double { Bool.random(using: &rng) ? Double(Int.random(in: 0...9, using: &rng)) : Double.random(in: 0...5, using: &rng) }
        for n in runs {
            try? l.run(n, .create(omsAttributes: ["energy": .int(6800)], runClass: "Collisions24", significant: false), robot)
            try? l.run(n, .setLumisectionCount(Int.random(in: 10...40, using: &rng)), robot)
        }
        for _ in 0..<steps {
            let n = runs.randomElement(using: &rng)!
            let count = l.run(n).lumisectionCount ?? 10
            let keys = l.datasets.keys.filter { $0.run == n }.sorted()
            let key = keys.randomElement(using: &rng)!
            let ctx = Bool.random(using: &rng) ? shifter : robot
            let roll = Int.random(in: 0..<100, using: &rng)
            do {
                switch roll {
                case 0..<40:
                    let status = LumisectionStatus.allCases.randomElement(using: &rng)!
                    let flag = Flag(
                        status, comment: status == .bad ? "bad run" : comments.randomElement(using: &rng)!,
                        cause: causes.randomElement(using: &rng)!)
                    try l.dataset(key, .setFlags(component: components.randomElement(using: &rng)!, range: range(count), flag: flag), ctx)
                case 40..<48:
                    try l.dataset(key, .releaseManualOverride(component: components.randomElement(using: &rng)!, range: range(count)))
                case 48..<56:
                    var bits: [String: Bool?] = [:]
                    for b in bitNames where Bool.random(using: &rng) { bits[b] = [true, false, nil].randomElement(using: &rng)! }
                    if bits.isEmpty { bits["cms_active"] = true }
                    try l.dataset(.online(run: n), .setOMSBits(bits, range: range(count), comment: "oms refresh"), ctx)
                case 56..<62:
                    let r = range(count)
                    try l.dataset(.online(run: n), .setLuminosity(range: r, recorded: (0..<r.count).map { _ in value() }, delivered: (0..<r.count).map { _ in value() }), robot)
                case 62..<68:
                    let to = RunState.allCases.randomElement(using: &rng)!
                    try l.run(n, .moveState(to: to, reason: "random move"))
                case 68..<80:
                    let to = DatasetWorkspaceState.allCases.randomElement(using: &rng)!
                    try l.dataset(key, .moveWorkspaceState(workspace: "global", to: to, reason: "random move"))
                case 80..<92:
                    let ws = ["tracker", "dt", "csc", "dc"].randomElement(using: &rng)!
                    let to = DatasetWorkspaceState.allCases.randomElement(using: &rng)!
                    try l.dataset(key, .moveWorkspaceState(workspace: ws, to: to, reason: "random move"))
                case 92..<95:
                    try l.run(n, .setLumisectionCount(min(64, count + Int.random(in: 0...5, using: &rng))), robot)
                default:
                    let id = ["c1", "c2"].randomElement(using: &rng)!
                    if l.cycles[id] == nil { try l.cycle(id, .create(name: id, deadline: nil, workspaces: ["dt"])) }
                    let offline = l.datasets.keys.filter { !$0.isOnline }.sorted()
                    if let pick = offline.randomElement(using: &rng) {
                        if l.cycle(id).datasets.contains(pick) {
                            try l.cycle(id, .removeDatasets([pick]))
                        } else {
                            try l.cycle(id, .addDatasets([pick]))
                        }
                    }
                }
            } catch is CertificationError {
                // A refused command is part of a random history: nothing was recorded.
            } catch {
                Issue.record("projection failed: \(error)")
            }
        }
        return l
    }

    static let seeds: [UInt64] = [1, 2, 3, 4, 5, 6, 7, 8, 20, 99]

    @Test(arguments: seeds)
    func flagViewsMatchAPerLumisectionReplayWithProvenance(seed: UInt64) throws {
        let l = Self.history(seed: seed)
        let naive = NaiveModel(log: l.log)
        for key in l.datasets.keys {
            for c in naive.components(key) {
                let view = try #require(try l.views.flags(key, c))
                for lsn in 1...naive.maxLS {
                    let got = view.effective(at: lsn)
                    let want = naive.effective(key, c, lsn)
                    #expect(got?.decision.flag == want?.0.flag && got?.decision.sequence == want?.0.sequence && got?.source == want?.1,
                            "\(key) \(c) LS \(lsn)")
                }
                for layer in [view.automatic, view.manual, view.effectiveRanges] {
                    for (a, b) in zip(layer, layer.dropFirst()) {
                        #expect(a.range.last < b.range.first)
                        #expect(!(a.range.last + 1 == b.range.first && a.value == b.value), "coalesced")
                    }
                }
            }
        }
    }

    @Test(arguments: seeds)
    func summariesEqualANaivePerLumisectionCount(seed: UInt64) throws {
        let l = Self.history(seed: seed)
        let naive = NaiveModel(log: l.log)
        var checkedFlags = 0
        for (key, aggregate) in l.datasets {
            let s = try #require(try l.views.summary(key))
            #expect(s.lumisectionCount == l.run(key.run).lumisectionCount)
            var expectedComponents: Set<String> = []
            for c in naive.components(key) {
                var counts = StatusCounts()
                var comments: Set<String> = []
                var causes: Set<String> = []
                for lsn in 1...naive.maxLS {
                    guard let (d, _) = naive.effective(key, c, lsn) else { continue }
                    counts[d.flag.status] += 1
                    if !d.flag.comment.isEmpty { comments.insert(d.flag.comment) }
                    if !d.flag.cause.isEmpty { causes.insert(d.flag.cause) }
                    // The aggregate agrees with the naive replay.
                    #expect(aggregate.flags.flag(component: c, at: lsn) == d.flag)
                }
                guard counts.total > 0 else { continue }
                expectedComponents.insert(c)
                checkedFlags += counts.total
                #expect(s.components[c]?.counts == counts, "\(key) \(c)")
                #expect(s.components[c]?.comments == comments.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
                #expect(s.components[c]?.causes == causes.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            }
            #expect(Set(s.components.keys) == expectedComponents)
            for bit in Self.bitNames {
                let values = naive.bits[key.run]?[bit] ?? []
                let expected = BitCounts(
                    trueCount: values.filter { $0 == .some(.some(true)) }.count,
                    falseCount: values.filter { $0 == .some(.some(false)) }.count,
                    nullCount: values.filter { $0 == .some(.none) }.count)
                #expect((s.dcs[bit] ?? BitCounts()) == expected, "\(key) \(bit)")
            }
            #expect(within(s.recordedLuminosity, (naive.recorded[key.run] ?? []).reduce(0, +)))
            #expect(within(s.deliveredLuminosity, (naive.delivered[key.run] ?? []).reduce(0, +)))
            let workspaces = Set(aggregate.workspaceStates.keys)
            for group in ["global"] + workspaces.sorted() {
                let want = naive.certified(key, group: group, workspaces: workspaces)
                let cert = try #require(s.certification[group])
                #expect(cert.certifiedRanges.flatMap { Array($0.closedRange) } == want, "\(key) \(group)")
                #expect(within(cert.recordedLuminosity, want.reduce(0) { $0 + naive.recorded(key.run, $1) }))
            }
        }
        #expect(checkedFlags > 0)
    }

    @Test(arguments: seeds)
    func omsAndLuminosityViewsMatchTheLog(seed: UInt64) throws {
        let l = Self.history(seed: seed)
        let naive = NaiveModel(log: l.log)
        for (run, bits) in naive.bits {
            for (bit, values) in bits {
                let view = try #require(try l.views.oms(run, bit))
                for lsn in 1...naive.maxLS { #expect(view.value(at: lsn).map { $0.value } == values[lsn]) }
            }
        }
        for (run, recorded) in naive.recorded {
            let view = try #require(try l.views.luminosity(run))
            #expect(view.recorded == recorded)
            #expect(view.delivered == naive.delivered[run])
        }
    }

    @Test(arguments: seeds)
    func passViewsEqualANaiveRecomputation(seed: UInt64) throws {
        let l = Self.history(seed: seed)
        let naive = NaiveModel(log: l.log)
        struct Expected {
            var datasets: [DatasetWorkspaceState: Int] = [:]
            var runs: [DatasetWorkspaceState: Set<Int>] = [:]
            var open: [PassView.OpenItem] = []
            var lumi = 0.0
        }
        var expected: [String: Expected] = [:]  // "pass|group"
        for (key, aggregate) in l.datasets {
            let pass = try ProcessingPass(datasetName: key.name).key
            let workspaces = Set(aggregate.workspaceStates.keys)
            var groups: [(String, DatasetWorkspaceState)] = []
            if key.isOnline {
                let state: DatasetWorkspaceState
                switch l.run(key.run).state {
                case .open: state = .open
                case .signOff: state = .signOff
                case .completed: state = .completed
                }
                groups = [("global", state)]
            } else {
                groups = [("global", aggregate.globalState)] + aggregate.workspaceStates.map { ($0.key, $0.value) }
            }
            for (group, state) in groups {
                var e = expected["\(pass)|\(group)", default: Expected()]
                e.datasets[state, default: 0] += 1
                e.runs[state, default: []].insert(key.run)
                if state != .completed && state != .notSignificant { e.open.append(.init(dataset: key, state: state)) }
                e.lumi += naive.certified(key, group: group, workspaces: workspaces).reduce(0) { $0 + naive.recorded(key.run, $1) }
                expected["\(pass)|\(group)"] = e
            }
        }
        #expect(expected.count > 2)
        for (id, e) in expected {
            let parts = id.split(separator: "|").map(String.init)
            let view = try #require(try l.views.pass(parts[0], parts[1]))
            #expect(view.datasetCounts == e.datasets, "\(id)")
            #expect(view.runCounts == e.runs.mapValues(\.count), "\(id)")
            #expect(view.openItems == e.open.sorted(), "\(id)")
            #expect(within(view.certifiedRecordedLuminosity, e.lumi), "\(id): \(view.certifiedRecordedLuminosity) vs \(e.lumi)")
        }
        let passRows = l.views.rows.keys.filter { $0.view == .passes }.count
        #expect(passRows == expected.count)
    }

    @Test(arguments: seeds)
    func runAndDatasetViewsMatchTheAggregates(seed: UInt64) throws {
        let l = Self.history(seed: seed)
        for (n, run) in l.runs {
            let view = try #require(try l.views.run(n))
            #expect(view.runClass == run.runClass)
            #expect(view.state == run.state)
            #expect(view.significant == run.significant)
            #expect(view.lumisectionCount == run.lumisectionCount)
            #expect(view.omsAttributes == run.omsAttributes)
            #expect(view.datasets == l.datasets.keys.filter { $0.run == n }.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
        for (key, d) in l.datasets where !key.isOnline {
            let view = try #require(try l.views.dataset(key))
            #expect(view.globalState == d.globalState)
            #expect(view.workspaceStates == d.workspaceStates)
            #expect(view.appearedIn == d.appearedIn)
            #expect(view.cycles == l.cycles.filter { $0.value.datasets.contains(key) }.keys.sorted())
        }
    }

    @Test(arguments: seeds)
    func everyStoredRowIsCanonical(seed: UInt64) throws {
        let l = Self.history(seed: seed)
        for (key, bytes) in l.views.rows {
            let again: [UInt8]
            switch key.view {
            case .runs: again = try RunView(decoding: bytes).encoded()
            case .datasets: again = try DatasetView(decoding: bytes).encoded()
            case .flags: again = try FlagRangesView(decoding: bytes).encoded()
            case .oms: again = try OMSBitView(decoding: bytes).encoded()
            case .luminosity: again = try LuminosityView(decoding: bytes).encoded()
            case .summaries: again = try DatasetSummaryView(decoding: bytes).encoded()
            case .passes: again = try PassView(decoding: bytes).encoded()
            case .passItems:
                #expect(ViewKeys.parse(key) != nil)
                let view = try #require(try l.views.pass(
                    { if case .passItem(let p, _, _)? = ViewKeys.parse(key) { return p } else { return "" } }(),
                    { if case .passItem(_, let w, _)? = ViewKeys.parse(key) { return w } else { return "" } }()))
                #expect(!view.openItems.isEmpty)
                again = bytes
            case .componentSummaries:
                let c = try DatasetSummaryView.ComponentSummary(decoding: bytes)
                #expect(c.counts.total > 0, "\(key): components without effective flags have no row")
                again = c.encoded(lastSequence: try lastSequence(bytes))
            case .certifications:
                let g = try DatasetSummaryView.Certification(decoding: bytes)
                #expect(g.flaggedComponents > 0 || !g.goodCounts.isEmpty, "\(key): empty groups have no row")
                again = g.encoded(lastSequence: try lastSequence(bytes))
            }
            #expect(again == bytes, "\(key): rows edited in place equal a full encoding")
        }
    }

    /// The last-sequence varint after the format byte of a summary piece.
    func lastSequence(_ bytes: [UInt8]) throws -> UInt64 {
        try bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw, offset: 1)
            return try r.readVarint()
        }
    }

    @Test func rebuildingFromTheLogGivesTheSameRows() throws {
        let l = Self.history(seed: 11)
        let again = MemoryViews()
        for (recorded, _) in l.log { try again.apply(recorded) }
        #expect(again.rows == l.views.rows)
    }
}
