import Certification
import Foundation
import LedgerCore
public import LedgerStorage

/// Writes a realistic, deterministic certification history through the real command path.
///
/// A simulated year of CMS running: runs with log-normal lumisection counts (up to 5,000), OMS
/// attributes and DCS bits with outages, per-LS luminosity, online flags from an automatic
/// classifier, shifter edits with comments and causes, run sign-offs that create Express and
/// Prompt datasets from the datasets-accepted rules, offline workspace moves and certification,
/// cycles, one ReReco pass, and corrections of earlier decisions weeks later. Every command goes
/// through ``CommandSession`` (validation, then one atomic batch per actor action); every time,
/// identity and id comes from the seed, so the same seed gives the same events and chain head.
public struct WorkloadGenerator: Sendable {
    /// How much history to write.
    public enum Profile: String, Sendable, CaseIterable {
        /// About 40 runs over a week: seconds to build, for tests and demos.
        case small
        /// About 2,000 runs over a year: the benchmark default.
        case year
        /// Ten years of about 2,000 runs each.
        case decade

        var years: Int { self == .decade ? 10 : 1 }
        var runsPerYear: Int { self == .small ? 40 : 2_000 }
    }

    /// What the generator wrote.
    public struct Summary: Sendable {
        /// Events by type.
        public var eventCounts: [String: Int] = [:]
        /// Runs created.
        public var runs = 0
        /// Commits (atomic batches).
        public var batches = 0
        /// Commands that the domain refused and the generator skipped (never silently: counted).
        public var refusedCommands = 0
        /// The first refusals, for diagnosis.
        public var refusalExamples: [String] = []
        /// All events.
        public var events: Int { eventCounts.values.reduce(0, +) }
    }

    /// The profile.
    public let profile: Profile
    /// The seed.
    public let seed: UInt64

    /// Creates a generator.
    public init(profile: Profile, seed: UInt64) {
        self.profile = profile
        self.seed = seed
    }

    /// Writes the history into `log`, which must be empty.
    ///
    /// - Parameter progress: called now and then with (runs started, runs planned).
    public func generate(into log: EventLog, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Summary {
        guard try log.head().sequence == 0 else {
            throw CertificationError(.invalidArgument, "generate needs an empty data directory; this log already has events")
        }
        var state = GeneratorState(profile: profile, seed: seed, log: log, progress: progress)
        try state.run()
        return state.summary
    }
}

/// The generator's simulation: a time-ordered queue of actions, each one actor's commit.
struct GeneratorState {
    let profile: WorkloadGenerator.Profile
    var random: SeededRandom
    var session: CommandSession
    var summary = WorkloadGenerator.Summary()
    let progress: (@Sendable (Int, Int) -> Void)?
    var queue = ActionQueue()
    var runs: [Int: RunPlan] = [:]
    var promptDatasetsByCycleWindow: [Int: [DatasetKey]] = [:]
    var cycleIndex = 0
    var runsStarted = 0
    var lastCommitTime: Int64 = 0
    /// How often a certification cycle opens (µs): every 14 days, every 2 days in the small profile.
    var cyclePeriod: Int64 { profile == .small ? 2 * 86_400_000_000 : 14 * 86_400_000_000 }
    let totalRuns: Int
    let catalogue = ComponentCatalogue.cmsDefault

    static let onlineShifters = ["anna.kowalska@cern.ch", "j.martin@cern.ch", "m.rossi@cern.ch", "h.tanaka@cern.ch"]
    static let offlineShifters = [
        "pixel.offline@cern.ch", "ecal.dqm@cern.ch", "dt.shifter@cern.ch", "l.garcia@cern.ch", "s.novak@cern.ch",
        "csc.dqm@cern.ch",
    ]
    static let badComments = [
        ("HV trip in BPix layer 1", "Hardware"), ("FED 1234 in error, 3% of channels missing", "DAQ"),
        ("timing scan, not for physics", "Calibration"), ("low occupancy in sector 7", "Hardware"),
        ("noisy towers in EB+14", "Hardware"), ("DT wheel -2 sector 4 HV off", "Hardware"),
        ("pedestal shift after recovery", "Calibration"), ("wrong conditions in reconstruction", "Software"),
    ]

    init(profile: WorkloadGenerator.Profile, seed: UInt64, log: EventLog, progress: (@Sendable (Int, Int) -> Void)?) {
        self.profile = profile
        self.random = SeededRandom(seed: seed ^ 0x5275_6E4C_6564_6765)
        self.session = CommandSession(
            log: log, context: CommandContext(actor: "generator", actorKind: .automatic, time: LedgerTimestamp(seconds: 0)))
        self.progress = progress
        self.totalRuns = profile.years * profile.runsPerYear
    }

    // MARK: - Plan

    mutating func run() throws {
        var firstRun = profile == .decade ? 250_000 : 378_000
        for yearIndex in 0..<profile.years {
            let year = profile == .decade ? 2015 + yearIndex : 2024
            let start = LedgerTimestamp(iso8601: "\(year)-04-05T08:00:00Z")!.microseconds
            try configureYear(year: year, firstRun: firstRun, start: start)
            var time = start + 3_600_000_000
            for index in 0..<profile.runsPerYear {
                let plan = makeRun(number: firstRun + index, index: index, year: year, start: time)
                runs[plan.number] = plan
                queue.push(time, .runStart(plan.number))
                time = plan.end + Int64(random.int(10...90)) * 60_000_000
            }
            let lastStart = time
            queue.push(lastStart + 20 * 86_400_000_000, .rereco(year: year, firstRun: firstRun))
            var cycleTime = start + cyclePeriod
            while cycleTime < lastStart + cyclePeriod {
                queue.push(cycleTime, .cycleCreate(window: Int(cycleTime / cyclePeriod)))
                cycleTime += cyclePeriod
            }
            firstRun += profile.runsPerYear + 11_000
            // Small stops while the last runs are still being certified; longer profiles run on.
            let end = profile == .small ? lastStart + 30 * 3_600_000_000 : lastStart + 45 * 86_400_000_000
            try drain(until: end)
            if yearIndex % 1 == 0 { session.reset() }
        }
    }

    mutating func drain(until end: Int64) throws {
        while let (time, action) = queue.pop(notAfter: end) {
            try perform(action, at: time)
        }
        queue.removeAll()
    }

    struct RunPlan {
        var number: Int
        var year: Int
        var era: String
        var runClass: String
        var significant: Bool
        var lumisections: Int
        var start: Int64
        var end: Int64
        var fill: Int
        /// DCS bits per LS (index 0 = LS 1).
        var bits: [String: [Bool]]
        var delivered: [Double]
        var recorded: [Double]
    }

    static let bitNames = [
        "beam1_present", "beam1_stable", "beam2_present", "beam2_stable", "bpix_ready", "cms_active", "cscm_ready",
        "cscp_ready", "dt0_ready", "dtm_ready", "dtp_ready", "ebm_ready", "ebp_ready", "eem_ready", "eep_ready",
        "esm_ready", "esp_ready", "fpix_ready", "gemm_ready", "gemp_ready", "hbhea_ready", "hbheb_ready", "hbhec_ready",
        "hf_ready", "ho_ready", "physics_flag", "rpc_ready", "tecm_ready", "tecp_ready", "tibtid_ready", "tob_ready",
    ]

    /// DCS bits each component's classifier reads (stable beams are added for the tracker).
    static let componentBits: [String: [String]] = [
        "tracker-pixel": ["bpix_ready", "fpix_ready"], "tracker-strip": ["tibtid_ready", "tob_ready", "tecp_ready", "tecm_ready"],
        "tracker-track": ["bpix_ready", "fpix_ready", "tibtid_ready", "tob_ready"],
        "dt-dt": ["dt0_ready", "dtp_ready", "dtm_ready"], "csc-csc": ["cscp_ready", "cscm_ready"], "rpc-rpc": ["rpc_ready"],
        "ecal-ecal": ["ebp_ready", "ebm_ready", "eep_ready", "eem_ready"], "ecal-es": ["esp_ready", "esm_ready"],
        "hcal-hcal": ["hbhea_ready", "hbheb_ready", "hbhec_ready", "hf_ready", "ho_ready"],
        "gem-gem": ["gemp_ready", "gemm_ready"],
    ]

    mutating func makeRun(number: Int, index: Int, year: Int, start: Int64) -> RunPlan {
        let yy = String(year % 100)
        let cosmics = random.chance(0.12)
        var lumisections = Int(exp(log(400.0) + 1.0 * random.normal()).rounded())
        lumisections = min(5_000, max(5, lumisections))
        if profile == .small && index == 0 { lumisections = 5_000 }
        let eras = ["A", "B", "C", "D", "E", "F", "G", "H", "I"]
        let era = eras[min(eras.count - 1, index * eras.count / profile.runsPerYear)]
        var bits: [String: [Bool]] = [:]
        let n = lumisections
        // Beams: stable from a few LS after the start (collisions), never for cosmics.
        let stableFrom = cosmics ? n + 1 : min(n, 1 + random.int(0...max(0, min(40, n / 10))))
        for name in Self.bitNames {
            var column = [Bool](repeating: true, count: n)
            if name.hasPrefix("beam") || name == "physics_flag" {
                for i in 0..<n { column[i] = !cosmics && i + 1 >= stableFrom }
                if name.hasSuffix("present") && !cosmics { column = [Bool](repeating: true, count: n) }
            } else if ["bpix_ready", "fpix_ready", "tibtid_ready", "tob_ready", "tecp_ready", "tecm_ready"].contains(name) {
                // Tracker HV follows stable beams.
                for i in 0..<n { column[i] = cosmics || i + 1 >= stableFrom }
            }
            if random.chance(0.12) && n > 20 {
                // An outage: a subsystem drops out for a while.
                let from = random.int(1...(n - 1))
                let length = random.int(1...min(60, n - from))
                for i in (from - 1)..<(from - 1 + length) { column[i] = false }
            }
            bits[name] = column
        }
        var delivered = [Double](repeating: 0, count: n)
        var recorded = [Double](repeating: 0, count: n)
        if !cosmics {
            let peak = 0.35 + 0.15 * random.unit()
            for i in 0..<n where bits["beam1_stable"]![i] {
                delivered[i] = (peak * exp(-Double(i) * 23.31 / 54_000) * 1_000).rounded() / 1_000
                recorded[i] = bits["cms_active"]![i] ? (delivered[i] * 0.93 * 1_000).rounded() / 1_000 : 0
            }
        }
        return RunPlan(
            number: number, year: year, era: era, runClass: cosmics ? "Cosmics\(yy)" : "Collisions\(yy)",
            significant: !cosmics ? n >= 20 || random.chance(0.3) : random.chance(0.4), lumisections: n, start: start,
            end: start + Int64(Double(n) * 23.31 * 1_000_000), fill: 9_000 + index / 4, bits: bits, delivered: delivered,
            recorded: recorded)
    }

    /// How many of the highest-numbered runs stay OPEN at the end of a history (the runs being taken now).
    static let runsLeftOpen = 2

    // MARK: - Actions

    enum Action {
        case runStart(Int)
        case runEnd(Int)
        case onlineShift(Int)
        case runComplete(Int)
        case datasetAppears(DatasetKey)
        case workspaceSignOff(DatasetKey, String)
        case workspaceComplete(DatasetKey, String)
        case datasetGlobalComplete(DatasetKey)
        case correction(DatasetKey)
        case cycleCreate(window: Int)
        case cycleComplete(String, attempt: Int)
        case rereco(year: Int, firstRun: Int)
    }

    mutating func act(
        _ actor: String, _ kind: ActorKind, at time: Int64, rule: String? = nil, reason: String,
        _ body: (inout GeneratorState) throws -> Void
    ) throws {
        // Follow-up steps are scheduled a little after their action; the log's time never goes back.
        let time = max(time, lastCommitTime)
        lastCommitTime = time
        session.context = CommandContext(actor: actor, actorKind: kind, time: LedgerTimestamp(microseconds: time), rule: rule)
        do {
            try body(&self)
        } catch let error as CertificationError {
            // A refused command in a simulation is data, not a crash: count it, drop the action.
            summary.refusedCommands += 1
            if summary.refusalExamples.count < 20 { summary.refusalExamples.append("\(reason): \(error.message)") }
            session.reset()
            return
        }
        let events = session.pending.map(\.event.typeName)
        var correlation: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let a = random.next()
        let b = random.next()
        withUnsafeMutableBytes(of: &correlation) { raw in
            raw.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
        }
        if try session.commitBlocking(
            reason: reason, correlationID: UUID(uuid: correlation), recordedAt: LedgerTimestamp(microseconds: time)) != nil
        {
            summary.batches += 1
            for t in events { summary.eventCounts[t, default: 0] += 1 }
        }
    }

    mutating func perform(_ action: Action, at time: Int64) throws {
        switch action {
        case .runStart(let number):
            let plan = runs[number]!
            runsStarted += 1
            summary.runs += 1
            if runsStarted % 50 == 0 { progress?(runsStarted, totalRuns) }
            try act("oms-sync", .automatic, at: time, rule: "oms-sync-v2", reason: "run \(number) creation") { s in
                try s.session.execute(
                    .run(number, .create(omsAttributes: s.omsAttributes(plan, final: false), runClass: plan.runClass, significant: plan.significant)))
            }
            queue.push(plan.end + 120_000_000, .runEnd(number))
        case .runEnd(let number):
            try runEnd(number, at: time)
        case .onlineShift(let number):
            try onlineShift(number, at: time)
        case .runComplete(let number):
            try act(Self.onlineShifters[number % Self.onlineShifters.count], .human, at: time, reason: "run \(number) completed") { s in
                try s.session.execute(.run(number, .moveState(to: .completed, reason: "")))
            }
        case .datasetAppears(let key):
            try datasetAppears(key, at: time)
        case .workspaceSignOff(let key, let workspace):
            try workspaceSignOff(key, workspace, at: time)
        case .workspaceComplete(let key, let workspace):
            try act(shifter(for: workspace), .human, at: time, reason: "\(workspace) certification of \(key) completed") { s in
                try s.session.execute(.dataset(key, .moveWorkspaceState(workspace: workspace, to: .completed, reason: "")))
            }
        case .datasetGlobalComplete(let key):
            try act("dc-expert@cern.ch", .human, at: time, reason: "global sign-off of \(key)") { s in
                let d = try s.session.dataset(key)
                if d.globalState == .open {
                    try s.session.execute(.dataset(key, .moveWorkspaceState(workspace: "global", to: .signOff, reason: "")))
                }
                try s.session.execute(.dataset(key, .moveWorkspaceState(workspace: "global", to: .completed, reason: "")))
            }
        case .correction(let key):
            try correction(key, at: time)
        case .cycleCreate(let window):
            try cycleCreate(window: window, at: time)
        case .cycleComplete(let id, let attempt):
            try cycleComplete(id, attempt: attempt, at: time)
        case .rereco(let year, let firstRun):
            try rereco(year: year, firstRun: firstRun, at: time)
        }
    }

    func omsAttributes(_ plan: RunPlan, final: Bool) -> [String: CanonicalValue] {
        var a: [String: CanonicalValue] = [
            "energy": .int(plan.runClass.hasPrefix("Cosmics") ? 0 : 6_800), "b_field": .double(3.8),
            "fill_number": .int(Int64(plan.fill)), "start_time": .string(LedgerTimestamp(microseconds: plan.start).iso8601),
            "hlt_key": .string(plan.runClass.hasPrefix("Cosmics") ? "/cdaq/cosmic/commissioning\(plan.year)/v1.2" : "/cdaq/physics/Run\(plan.year)/2e34/v1.4.\(plan.number % 7)"),
            "injection_scheme": .string(plan.runClass.hasPrefix("Cosmics") ? "" : "25ns_2352b_2340_2004_2133_108bpi_24inj"),
            "components": .array(["CSC", "DAQ", "DCS", "DQM", "DT", "ECAL", "ES", "GEM", "HCAL", "PIXEL", "RPC", "TRACKER", "TRG"].map(CanonicalValue.string)),
            "sequence": .string("GLOBAL-RUN"),
        ]
        if final {
            a["end_time"] = .string(LedgerTimestamp(microseconds: plan.end).iso8601)
            a["delivered_lumi"] = .double((plan.delivered.reduce(0, +) * 1_000).rounded() / 1_000 + 0.0005)
            a["recorded_lumi"] = .double((plan.recorded.reduce(0, +) * 1_000).rounded() / 1_000 + 0.0005)
            a["stable_beam"] = .bool(plan.bits["beam1_stable"]!.contains(true))
        } else {
            a["end_time"] = .null
        }
        return a
    }

    mutating func runEnd(_ number: Int, at time: Int64) throws {
        let plan = runs[number]!
        let online = DatasetKey.online(run: number)
        try act("oms-sync", .automatic, at: time, rule: "oms-sync-v2", reason: "run \(number) automatic update") { s in
            try s.session.execute(.run(number, .setOMSAttributes(s.omsAttributes(plan, final: true))))
            try s.session.execute(.run(number, .setLumisectionCount(plan.lumisections)))
            for name in Self.bitNames {
                for (range, value) in Self.constantRanges(plan.bits[name]!) {
                    try s.session.execute(.dataset(online, .setOMSBits([name: value], range: range, comment: "")))
                }
            }
            try s.session.execute(
                .dataset(
                    online,
                    .setLuminosity(
                        range: try LumisectionRange(1, plan.lumisections), recorded: plan.recorded, delivered: plan.delivered)))
        }
        // The online classifier runs for every run, significant or not, as the Run Registry's does.
        try act("classifier/online@v3", .automatic, at: time + 60_000_000, rule: "online-component-classifier-v3",
            reason: "automatic classification of run \(number)") { s in
            for component in s.catalogue.certifiableOnlineComponents {
                for (range, flag) in s.classify(plan, component: component) {
                    try s.session.execute(.dataset(online, .setFlags(component: component, range: range, flag: flag)))
                }
            }
        }
        queue.push(time + Int64(random.int(30...360)) * 60_000_000, .onlineShift(number))
    }

    /// The automatic classifier's verdict per constant range: GOOD when every bit it reads is on,
    /// BAD (with the bit named) when one is off, STANDBY for the tracker without stable beams.
    func classify(_ plan: RunPlan, component: String) -> [(LumisectionRange, Flag)] {
        if component == "castor-castor" {
            return [(try! LumisectionRange(1, plan.lumisections), Flag(.excluded, comment: "CASTOR not in Run 3"))]
        }
        let bitsRead = Self.componentBits[component] ?? ["cms_active"]
        var statuses: [Flag] = []
        statuses.reserveCapacity(plan.lumisections)
        let stable = plan.bits["beam1_stable"]!
        for i in 0..<plan.lumisections {
            if component.hasPrefix("tracker") && !stable[i] && !plan.runClass.hasPrefix("Cosmics") {
                statuses.append(Flag(.standby))
            } else if let off = bitsRead.first(where: { !plan.bits[$0]![i] }) {
                statuses.append(Flag(.bad, comment: "\(off) off", cause: "DCS"))
            } else {
                statuses.append(Flag(.good))
            }
        }
        var out: [(LumisectionRange, Flag)] = []
        var start = 0
        while start < statuses.count {
            var end = start
            while end + 1 < statuses.count && statuses[end + 1] == statuses[start] { end += 1 }
            out.append((try! LumisectionRange(start + 1, end + 1), statuses[start]))
            start = end + 1
        }
        return out
    }

    static func constantRanges(_ values: [Bool]) -> [(LumisectionRange, Bool?)] {
        var out: [(LumisectionRange, Bool?)] = []
        var start = 0
        while start < values.count {
            var end = start
            while end + 1 < values.count && values[end + 1] == values[start] { end += 1 }
            out.append((try! LumisectionRange(start + 1, end + 1), values[start]))
            start = end + 1
        }
        return out
    }

    mutating func onlineShift(_ number: Int, at time: Int64) throws {
        let plan = runs[number]!
        let shifter = Self.onlineShifters[(number / 3) % Self.onlineShifters.count]
        let online = DatasetKey.online(run: number)
        let editRoll = random.unit()
        let (comment, cause) = random.pick(Self.badComments)
        let component = random.pick(catalogue.certifiableOnlineComponents.filter { $0 != "castor-castor" })
        let first = random.int(1...plan.lumisections)
        let last = min(plan.lumisections, first + random.int(0...80))
        // The newest runs of the history are still being certified: they stay OPEN.
        let recent = runs.keys.sorted().suffix(Self.runsLeftOpen + 1)
        let newest = number >= (recent.dropFirst().first ?? .max)
        // The run just before them is signed off, but its datasets have not appeared in the DQM GUI yet.
        let justSignedOff = number == recent.first
        let signOff = newest ? false : justSignedOff ? true : plan.significant ? random.chance(0.97) : random.chance(0.5)
        try act(shifter, .human, at: time, reason: "online certification of run \(number)") { s in
            if plan.significant && editRoll < 0.3 {
                try s.session.execute(
                    .dataset(online, .setFlags(component: component, range: try LumisectionRange(first, last), flag: Flag(.bad, comment: comment, cause: cause))))
            }
            if editRoll > 0.9 {
                try s.session.execute(.run(number, .addComment("short beam dump at the end; checked with the run coordinator")))
            }
            if signOff {
                try s.session.execute(.run(number, .moveState(to: .signOff, reason: "")))
            }
        }
        guard signOff else { return }
        if random.chance(0.85) { queue.push(time + Int64(random.int(24...72)) * 3_600_000_000, .runComplete(number)) }
        // Datasets created at sign-off appear in the DQM GUI later.
        let names = try session.datasetNames(ofRun: number).filter { $0 != DatasetKey.onlineName }
        for name in names.sorted() where !justSignedOff {
            let delay = name.hasPrefix("/Express") ? random.int(4...14) : random.int(30...60)
            queue.push(time + Int64(delay) * 3_600_000_000, .datasetAppears(DatasetKey(run: number, name: name)))
            if name.hasPrefix("/PromptReco") {
                promptDatasetsByCycleWindow[Int((time + 2 * 86_400_000_000) / cyclePeriod), default: []].append(
                    DatasetKey(run: number, name: name))
            }
        }
    }

    func shifter(for workspace: String) -> String {
        Self.offlineShifters[abs(workspace.hashValueStable) % Self.offlineShifters.count]
    }

    mutating func datasetAppears(_ key: DatasetKey, at time: Int64) throws {
        let plan = runs[key.run]!
        let guiName = key.name.hasPrefix("/Express")
            ? "/StreamExpress/Run\(plan.year)\(plan.era)-Express-v1/DQMIO"
            : key.name.hasPrefix("/ReReco") ? "/ZeroBias/Run\(plan.year)\(plan.era)-ReReco-v1/DQMIO"
            : "/ZeroBias/Run\(plan.year)\(plan.era)-PromptReco-v1/DQMIO"
        var notSignificant: Set<String> = []
        for ws in catalogue.offlineWorkspaceNames where random.chance(0.05) { notSignificant.insert(ws) }
        try act("dqmgui-pinger", .automatic, at: time, rule: "offline-dataset-classifier-v1", reason: "new dataset appeared pinging gui") { s in
            try s.session.execute(.dataset(key, .recordAppearance(source: "DQM GUI", guiDatasetNames: [guiName])))
            for ws in s.catalogue.offlineWorkspaceNames {
                try s.session.execute(
                    .dataset(key, .moveWorkspaceState(workspace: ws, to: notSignificant.contains(ws) ? .notSignificant : .open, reason: "")))
            }
            try s.session.execute(.dataset(key, .moveWorkspaceState(workspace: "global", to: .open, reason: "")))
        }
        try act("classifier/offline@v2", .automatic, at: time + 60_000_000, rule: "offline-component-classifier-v2",
            reason: "automatic offline classification of \(key)") { s in
            for component in s.catalogue.certifiableOfflineComponents {
                let ws = String(component.split(separator: "-").first!)
                guard s.catalogue.offlineWorkspaceNames.contains(ws), !notSignificant.contains(ws) else { continue }
                for (range, flag) in s.classify(plan, component: component) {
                    try s.session.execute(.dataset(key, .setFlags(component: component, range: range, flag: flag)))
                }
            }
        }
        var latest = time
        for ws in catalogue.offlineWorkspaceNames where !notSignificant.contains(ws) {
            let signOff = time + Int64(random.int(12...96)) * 3_600_000_000
            let complete = signOff + Int64(random.int(6...72)) * 3_600_000_000
            queue.push(signOff, .workspaceSignOff(key, ws))
            queue.push(complete, .workspaceComplete(key, ws))
            latest = max(latest, complete)
        }
        queue.push(latest + 3_600_000_000, .datasetGlobalComplete(key))
        if key.name.hasPrefix("/PromptReco") && random.chance(0.05) {
            queue.push(latest + Int64(random.int(21...42)) * 86_400_000_000, .correction(key))
        }
    }

    mutating func workspaceSignOff(_ key: DatasetKey, _ workspace: String, at time: Int64) throws {
        let plan = runs[key.run]!
        let components = catalogue.offlineWorkspaces[workspace]?.map { "\(workspace)-\($0)" } ?? []
        let edit = random.chance(0.15) && !components.isEmpty
        let component = components.isEmpty ? "" : random.pick(components)
        let first = random.int(1...plan.lumisections)
        let last = min(plan.lumisections, first + random.int(0...120))
        let (comment, cause) = random.pick(Self.badComments)
        try act(shifter(for: workspace), .human, at: time, reason: "\(workspace) certification of \(key)") { s in
            if edit {
                try s.session.execute(
                    .dataset(key, .setFlags(component: component, range: try LumisectionRange(first, last), flag: Flag(.bad, comment: comment, cause: cause))))
            }
            try s.session.execute(.dataset(key, .moveWorkspaceState(workspace: workspace, to: .signOff, reason: "")))
        }
    }

    mutating func correction(_ key: DatasetKey, at time: Int64) throws {
        let plan = runs[key.run]!
        let first = random.int(1...plan.lumisections)
        let last = min(plan.lumisections, first + random.int(5...200))
        try act("pixel.offline@cern.ch", .human, at: time, reason: "correction after the reprocessing review") { s in
            try s.session.execute(
                .dataset(key, .moveWorkspaceState(workspace: "tracker", to: .open, reason: "reopened: pixel timing problem found in the reprocessing review")))
            try s.session.execute(
                .dataset(key, .setFlags(component: "tracker-pixel", range: try LumisectionRange(first, last),
                    flag: Flag(.bad, comment: "pixel timing shifted by one bunch crossing", cause: "Calibration"))))
            try s.session.execute(.dataset(key, .moveWorkspaceState(workspace: "tracker", to: .signOff, reason: "")))
            try s.session.execute(.dataset(key, .moveWorkspaceState(workspace: "tracker", to: .completed, reason: "")))
        }
    }

    mutating func cycleCreate(window: Int, at time: Int64) throws {
        let members = Array((promptDatasetsByCycleWindow[window - 1] ?? []).prefix(1_000))
        guard !members.isEmpty else { return }
        cycleIndex += 1
        let id = "prompt-c\(cycleIndex)"
        try act("dc-expert@cern.ch", .human, at: time, reason: "certification cycle \(cycleIndex)") { s in
            try s.session.execute(
                .cycle(id, .create(name: "Prompt cycle \(s.cycleIndex)", deadline: LedgerTimestamp(microseconds: time + s.cyclePeriod * 3 / 2),
                    workspaces: s.catalogue.offlineWorkspaceNames)))
            try s.session.execute(.cycle(id, .addDatasets(members)))
        }
        queue.push(time + cyclePeriod * 3 / 2, .cycleComplete(id, attempt: 1))
    }

    /// Completes each workspace of a cycle whose member datasets are all done there, then the
    /// cycle; what is not done yet is tried again later (up to four times).
    mutating func cycleComplete(_ id: String, attempt: Int, at time: Int64) throws {
        let cycle = try session.cycle(id)
        var members: [DatasetAggregate] = []
        for key in cycle.datasets.sorted() { members.append(try session.dataset(key)) }
        var pendingWorkspaces = 0
        for ws in catalogue.offlineWorkspaceNames where cycle.workspaceStates[ws] != .completed {
            let done = members.allSatisfy { m in
                let state = m.state(inWorkspace: ws)
                return state == .completed || state == .notSignificant
            }
            guard done else {
                pendingWorkspaces += 1
                continue
            }
            try act("dc-expert@cern.ch", .human, at: time, reason: "cycle \(id): \(ws) done") { s in
                try s.session.execute(.cycle(id, .setWorkspaceState(workspace: ws, to: .completed, reason: "")))
            }
        }
        if pendingWorkspaces == 0 {
            try act("dc-expert@cern.ch", .human, at: time, reason: "cycle \(id) done") { s in
                try s.session.execute(.cycle(id, .setWorkspaceState(workspace: "global", to: .completed, reason: "")))
            }
        } else if attempt < 4 {
            queue.push(time + cyclePeriod / 2, .cycleComplete(id, attempt: attempt + 1))
        }
    }

    mutating func rereco(year: Int, firstRun: Int, at time: Int64) throws {
        let eraRuns = runs.values.filter { $0.year == year && $0.era == "C" && $0.runClass.hasPrefix("Collisions") && $0.significant }
            .map(\.number).sorted()
        var t = time
        for number in eraRuns {
            let key = DatasetKey(run: number, name: "/ReReco/Run\(year)C-v1/DQM")
            let workspaces = catalogue.offlineWorkspaceNames
            try act("rereco-manager", .automatic, at: t, rule: "rereco-2024C-v1", reason: "ReReco pass Run\(year)C-v1") { s in
                try s.session.execute(.dataset(key, .create(workspaces: workspaces)))
            }
            queue.push(t + Int64(random.int(2...10)) * 3_600_000_000, .datasetAppears(key))
            t += 60_000_000
        }
    }

    mutating func configureYear(year: Int, firstRun: Int, start: Int64) throws {
        let yy = String(year % 100)
        try act("config-admin@cern.ch", .human, at: start, reason: "datasets accepted for \(year)") { s in
            var id = (year - 2000) * 100
            func rule(_ name: String, _ regexp: String, _ runClass: String, _ from: Int?, _ to: Int?) throws {
                id += 1
                try s.session.execute(
                    .config(.setDatasetsAcceptedRule(
                        DatasetsAcceptedRule(id: id, name: name, regexp: regexp, runClass: runClass, runFrom: from, runTo: to))))
            }
            try rule("/Express/Collisions\(year)/DQM", "/StreamExpress/Run\(year).*-Express-v\\d/DQMIO", "Collisions\(yy)", firstRun, nil)
            try rule("/Express/Cosmics\(year)/DQM", "/StreamExpressCosmics/Run\(year).*-Express-v\\d/DQMIO", "Cosmics\(yy)", firstRun, nil)
            let eras = ["A", "B", "C", "D", "E", "F", "G", "H", "I"]
            for (i, era) in eras.enumerated() {
                let from = firstRun + i * s.profile.runsPerYear / eras.count
                let to = firstRun + (i + 1) * s.profile.runsPerYear / eras.count - 1
                try rule("/PromptReco/Collisions\(year)\(era)/DQM", "/ZeroBias/Run\(year)\(era)-PromptReco-v\\d/DQMIO", "Collisions\(yy)", from, to)
            }
        }
    }
}

/// A binary min-heap of (time, insertion order, action): the simulation's agenda.
struct ActionQueue {
    private var heap: [(time: Int64, order: Int, action: GeneratorState.Action)] = []
    private var counter = 0

    mutating func push(_ time: Int64, _ action: GeneratorState.Action) {
        counter += 1
        heap.append((time, counter, action))
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if less(heap[i], heap[parent]) {
                heap.swapAt(i, parent)
                i = parent
            } else {
                break
            }
        }
    }

    mutating func pop(notAfter limit: Int64) -> (Int64, GeneratorState.Action)? {
        guard let top = heap.first, top.time <= limit else { return nil }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var m = i
            if l < heap.count && less(heap[l], heap[m]) { m = l }
            if r < heap.count && less(heap[r], heap[m]) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
        return (top.time, top.action)
    }

    mutating func removeAll() {
        heap.removeAll()
    }

    private func less(
        _ a: (time: Int64, order: Int, action: GeneratorState.Action), _ b: (time: Int64, order: Int, action: GeneratorState.Action)
    ) -> Bool {
        a.time != b.time ? a.time < b.time : a.order < b.order
    }
}

extension String {
    /// A hash that is the same in every process (Swift's `hashValue` is seeded per process).
    var hashValueStable: Int {
        var h: UInt64 = 1_469_598_103_934_665_603
        for b in utf8 {
            h ^= UInt64(b)
            h = h &* 1_099_511_628_211
        }
        return Int(truncatingIfNeeded: h >> 1)
    }
}
