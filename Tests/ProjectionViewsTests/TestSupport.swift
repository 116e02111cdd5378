import Certification
import LedgerCore
import ProjectionViews
import Testing

/// The latest value of every row, as a dictionary: the runtime's view store reduced to what `apply` reads.
final class MemoryViews: ViewReader {
    var rows: [ViewKey: [UInt8]] = [:]
    /// Every update written, with the sequence of its event.
    var history: [(UInt64, ViewUpdate)] = []

    func latest(_ key: ViewKey) throws -> [UInt8]? { rows[key] }

    /// Applies one recorded event and stores its updates; returns them.
    @discardableResult
    func apply(_ event: RecordedEvent) throws -> [ViewUpdate] {
        let updates = try CertificationProjection.apply(event, reader: self)
        #expect(Set(updates.map(\.key)).count == updates.count, "one update per row")
        for u in updates {
            rows[u.key] = u.value
            history.append((event.sequence, u))
        }
        return updates
    }

    func run(_ n: Int) throws -> RunView? { try rows[ViewKeys.run(n)].map { try RunView(decoding: $0) } }
    func dataset(_ k: DatasetKey) throws -> DatasetView? { try rows[ViewKeys.dataset(k)].map { try DatasetView(decoding: $0) } }
    func flags(_ k: DatasetKey, _ c: String) throws -> FlagRangesView? {
        try rows[ViewKeys.flags(k, component: c)].map { try FlagRangesView(decoding: $0) }
    }
    func oms(_ run: Int, _ bit: String) throws -> OMSBitView? { try rows[ViewKeys.oms(run: run, bit: bit)].map { try OMSBitView(decoding: $0) } }
    func luminosity(_ run: Int) throws -> LuminosityView? {
        try rows[ViewKeys.luminosity(run: run)].map { try LuminosityView(decoding: $0) }
    }
    /// The rows of `prefix`'s view whose keys start with its bytes, sorted by key: a store's prefix scan.
    func scan(_ prefix: ViewKey) -> [(key: ViewKey, value: [UInt8])] {
        rows.filter { $0.key.view == prefix.view && $0.key.key.starts(with: prefix.key) }
            .map { (key: $0.key, value: $0.value) }
            .sorted { $0.key.key.lexicographicallyPrecedes($1.key.key) }
    }

    /// The whole summary of a dataset, assembled from its rows as a reader would.
    func summary(_ k: DatasetKey) throws -> DatasetSummaryView? {
        guard let main = rows[ViewKeys.summary(k)] else { return nil }
        let rows = [(key: ViewKeys.summary(k), value: main)] + scan(ViewKeys.componentSummariesPrefix(k))
            + scan(ViewKeys.certificationsPrefix(k)) + scan(ViewKey(view: .oms, key: ViewKeys.run(k.run).key))
        return try DatasetSummaryView(rows: rows)
    }

    /// The whole pass view, with its open items listed by a prefix scan.
    func pass(_ p: String, _ ws: String) throws -> PassView? {
        guard let main = rows[ViewKeys.pass(p, workspace: ws)] else { return nil }
        return try PassView(rows: [(key: ViewKeys.pass(p, workspace: ws), value: main)] + scan(ViewKeys.passItemsPrefix(p, workspace: ws)))
    }
}

let t0 = LedgerTimestamp(seconds: 1_700_000_000)
let shifter = CommandContext(actor: "jane.doe@cern.ch", actorKind: .human, time: t0)
let robot = CommandContext(actor: "classifier@auto", actorKind: .automatic, time: t0, rule: "component-classifier/1@1")

func ls(_ a: Int, _ b: Int) -> LumisectionRange { try! LumisectionRange(a, b) }

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

/// A small ledger: decides commands with the domain's aggregates, records the events with sequences
/// 1, 2, 3…, and feeds each to the projection over ``MemoryViews``.
struct Ledger {
    var runs: [Int: RunAggregate] = [:]
    var datasets: [DatasetKey: DatasetAggregate] = [:]
    var cycles: [String: CycleAggregate] = [:]
    var rules: [DatasetsAcceptedRule] = []
    var views = MemoryViews()
    var sequence: UInt64 = 0
    var streamVersions: [String: UInt64] = [:]
    var clock: Int64 = 1_700_000_000_000_000
    /// Every recorded event, with its actor kind.
    var log: [(RecordedEvent, CertificationEvent)] = []

    func run(_ n: Int) -> RunAggregate { runs[n] ?? RunAggregate(runNumber: n) }
    func dataset(_ k: DatasetKey) -> DatasetAggregate { datasets[k] ?? DatasetAggregate(key: k) }
    func cycle(_ id: String) -> CycleAggregate { cycles[id] ?? CycleAggregate(id: id) }

    mutating func run(_ n: Int, _ command: RunCommand, _ ctx: CommandContext = shifter) throws {
        let inputs = SignOffInputs(
            acceptedRules: rules, onlineFlags: dataset(.online(run: n)).flags,
            existingDatasets: Set(datasets.keys.filter { $0.run == n }.map(\.name)))
        try record(try run(n).decide(command, context: ctx, signOff: inputs), ctx)
    }

    mutating func dataset(_ k: DatasetKey, _ command: DatasetCommand, _ ctx: CommandContext = shifter) throws {
        try record(try dataset(k).decide(command, run: run(k.run), context: ctx), ctx)
    }

    mutating func cycle(_ id: String, _ command: CycleCommand, _ ctx: CommandContext = shifter) throws {
        try record(try cycle(id).decide(command, context: ctx, datasets: datasets), ctx)
    }

    /// Records events as the log would, applies them to the aggregates and to the projection.
    mutating func record(_ events: [CertificationEvent], _ ctx: CommandContext) throws {
        for e in events {
            sequence += 1
            clock += 1_000_000
            let p = e.proposed()
            let version = (streamVersions[p.stream] ?? 0) + 1
            streamVersions[p.stream] = version
            let recorded = RecordedEvent(
                sequence: sequence, stream: p.stream, streamVersion: version, type: p.type, schemaVersion: p.schemaVersion,
                actor: ctx.actor, actorKind: ctx.actorKind, recordedAt: LedgerTimestamp(microseconds: clock), reason: "",
                payload: p.payload)
            let at = recorded.recordedAt
            switch e.stream {
            case .run(let n): runs[n, default: RunAggregate(runNumber: n)].apply(e, recordedAt: at, actorKind: ctx.actorKind)
            case .dataset(let r, let name):
                datasets[DatasetKey(run: r, name: name), default: DatasetAggregate(key: DatasetKey(run: r, name: name))]
                    .apply(e, recordedAt: at, actorKind: ctx.actorKind)
            case .cycle(let id): cycles[id, default: CycleAggregate(id: id)].apply(e, recordedAt: at, actorKind: ctx.actorKind)
            case .config: break
            }
            log.append((recorded, e))
            try views.apply(recorded)
        }
    }
}

let promptName = "/PromptReco/Collisions2024A/DQM"
let expressName = "/Express/Collisions2024/DQM"
/// A second name of the prompt pass (the processing part differs in case), to exercise distinct-run counts.
let promptTwinName = "/promptreco/Collisions2024A/DQM"

let standardRules = [
    DatasetsAcceptedRule(id: 1, name: promptName, regexp: "/ZeroBias/.*", runClass: "Collisions24", runFrom: nil, runTo: nil),
    DatasetsAcceptedRule(id: 2, name: expressName, regexp: "/Express.*", runClass: "Collisions24", runFrom: nil, runTo: nil),
    DatasetsAcceptedRule(id: 3, name: promptTwinName, regexp: "/Twin.*", runClass: "Collisions24", runFrom: 500_000, runTo: nil),
]

func within(_ a: Double, _ b: Double, _ relative: Double = 1e-9) -> Bool {
    abs(a - b) <= relative * max(1, abs(a), abs(b))
}
