import Certification
import LedgerCore
import Testing

let t0 = LedgerTimestamp(seconds: 1_700_000_000)
let shifter = CommandContext(actor: "jane.doe@cern.ch", actorKind: .human, time: t0)
let classifier = CommandContext(actor: "auto@auto", actorKind: .automatic, time: t0, rule: "component-classifier/17@3")

/// Runs `body` and returns its rejection, or nil when it succeeded.
func rejection<T>(_ body: () throws -> T) -> CertificationError? {
    do {
        _ = try body()
        return nil
    } catch let error as CertificationError {
        return error
    } catch {
        Issue.record("expected a CertificationError, got \(error)")
        return nil
    }
}

func range(_ a: Int, _ b: Int) -> LumisectionRange { try! LumisectionRange(a, b) }

/// A deterministic random number generator (SplitMix64) for property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// An in-memory stand-in for the service layer: routes commands to aggregates, applies the events
/// to every aggregate by stream, and checks each event's payload round trip on the way.
struct World {
    var runs: [Int: RunAggregate] = [:]
    var datasets: [DatasetKey: DatasetAggregate] = [:]
    var cycles: [String: CycleAggregate] = [:]
    var configs: [ConfigKind: ConfigAggregate] = [:]
    var log: [CertificationEvent] = []

    func run(_ n: Int) -> RunAggregate { runs[n] ?? RunAggregate(runNumber: n) }
    func dataset(_ k: DatasetKey) -> DatasetAggregate { datasets[k] ?? DatasetAggregate(key: k) }
    func config(_ kind: ConfigKind) -> ConfigAggregate { configs[kind] ?? ConfigAggregate(kind: kind) }

    func signOffInputs(run n: Int) -> SignOffInputs {
        SignOffInputs(
            acceptedRules: config(.datasetsAccepted).sortedAcceptedRules, catalogue: config(.components).catalogue,
            onlineFlags: dataset(.online(run: n)).flags,
            existingDatasets: Set(datasets.keys.filter { $0.run == n }.map(\.name)))
    }

    func decide(_ command: CertificationCommand, _ ctx: CommandContext) throws(CertificationError) -> [CertificationEvent] {
        switch command {
        case .run(let n, let c):
            return try run(n).decide(c, context: ctx, signOff: signOffInputs(run: n))
        case .dataset(let k, let c):
            return try dataset(k).decide(c, run: run(k.run), context: ctx)
        case .cycle(let id, let c):
            return try (cycles[id] ?? CycleAggregate(id: id)).decide(c, context: ctx, datasets: datasets)
        case .config(let c):
            return try config(c.kind).decide(c, context: ctx)
        }
    }

    @discardableResult
    mutating func execute(_ command: CertificationCommand, _ ctx: CommandContext = shifter) throws(CertificationError)
        -> [CertificationEvent]
    {
        let events = try decide(command, ctx)
        apply(events, ctx.actorKind)
        return events
    }

    mutating func apply(_ events: [CertificationEvent], _ kind: ActorKind) {
        for e in events {
            let decoded = try? CertificationEvent.decode(
                type: e.typeName, schemaVersion: e.schemaVersion, payload: CanonicalValue.decode(e.payload.encoded))
            #expect(decoded == e, "payload round trip of \(e.typeName)")
            log.append(e)
            switch e.stream {
            case .run(let n): runs[n, default: RunAggregate(runNumber: n)].apply(e, recordedAt: t0, actorKind: kind)
            case .dataset(let n, let name):
                let k = DatasetKey(run: n, name: name)
                datasets[k, default: DatasetAggregate(key: k)].apply(e, recordedAt: t0, actorKind: kind)
            case .cycle(let id): cycles[id, default: CycleAggregate(id: id)].apply(e, recordedAt: t0, actorKind: kind)
            case .config(let c): configs[c, default: ConfigAggregate(kind: c)].apply(e, recordedAt: t0, actorKind: kind)
            }
        }
    }

    /// A significant Collisions22 run with `count` lumisections, every certifiable online component GOOD.
    static func openRun(_ n: Int = 355100, count: Int = 100, flagged: Bool = true) -> World {
        var w = World()
        try! w.execute(.run(n, .create(omsAttributes: ["fill_number": .int(8000)], runClass: "Collisions22", significant: true)), classifier)
        try! w.execute(.run(n, .setLumisectionCount(count)), classifier)
        if flagged {
            for c in ComponentCatalogue.cmsDefault.certifiableOnlineComponents {
                try! w.execute(.dataset(.online(run: n), .setFlags(component: c, range: range(1, count), flag: Flag(.good))), classifier)
            }
        }
        return w
    }

    static let promptRule = DatasetsAcceptedRule(
        id: 1, name: "/PromptReco/Collisions2022C/DQM", regexp: "/ZeroBias/Run2022C-PromptReco-v\\d/DQMIO",
        runClass: "Collisions22", runFrom: 355000, runTo: 357000)
    static let expressRule = DatasetsAcceptedRule(
        id: 2, name: "/Express/Collisions2022/DQM", regexp: "/StreamExpress/Run2022C-Express-v\\d/DQMIO",
        runClass: "Collisions22", runFrom: nil, runTo: nil)

    /// `openRun` plus accepted rules, signed off, with the prompt dataset created.
    static func signedOffRun(_ n: Int = 355100) -> World {
        var w = openRun(n)
        try! w.execute(.config(.setDatasetsAcceptedRule(promptRule)))
        try! w.execute(.config(.setDatasetsAcceptedRule(expressRule)))
        try! w.execute(.run(n, .moveState(to: .signOff, reason: "")))
        return w
    }
}
