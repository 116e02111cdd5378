public import Certification
import LedgerCore

/// LS counts of one component by effective status.
public struct StatusCounts: Sendable, Hashable {
    /// Counts in `LumisectionStatus.allCases` order: GOOD, BAD, STANDBY, EXCLUDED, NOTSET.
    var values: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)

    /// Creates zero counts.
    public init() {}

    /// The number of lumisections whose effective flag has `status`.
    public subscript(status: LumisectionStatus) -> Int {
        get {
            switch status {
            case .good: return values.0
            case .bad: return values.1
            case .standby: return values.2
            case .excluded: return values.3
            case .notSet: return values.4
            }
        }
        set {
            switch status {
            case .good: values.0 = newValue
            case .bad: values.1 = newValue
            case .standby: values.2 = newValue
            case .excluded: values.3 = newValue
            case .notSet: values.4 = newValue
            }
        }
    }

    /// Lumisections with any effective flag.
    public var total: Int { values.0 + values.1 + values.2 + values.3 + values.4 }

    public static func == (a: StatusCounts, b: StatusCounts) -> Bool { a.values == b.values }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(values.0)
        hasher.combine(values.1)
        hasher.combine(values.2)
        hasher.combine(values.3)
        hasher.combine(values.4)
    }
}

/// The summary of one dataset: the Run Registry's DatasetTripletCache, kept up to date per event.
///
/// - `components`: per component, LS counts per effective status and the distinct non-empty comments
///   and causes (`triplet_summary`); kept as running counts and adjusted by each flag event's delta.
/// - `dcs`: per OMS bit, LS counts true/false/null (`dcs_summary`). OMS bits are recorded on the online
///   dataset, so every dataset of a run has the run's online bits: the `oms` rows of the run.
/// - `recordedLuminosity`/`deliveredLuminosity`: the run's luminosity sums (`brilcalc_*_luminosity`).
/// - `certification`: per workspace of the dataset and `global`, the lumisections where every component
///   of that workspace (every component, for `global`) that has flags is GOOD, and their recorded
///   luminosity: this dataset's contribution to its ``PassView`` rows.
///
/// Stored in small rows, so a flag event rewrites only what it changes:
///
/// - `summaries` (``ViewKeys/summary(_:)``), the dataset-level row. Encoding (format 2): format byte ‖
///   last sequence varint ‖ run varint ‖ name ‖ pass key ‖ workspaces (count + workspace tokens, sorted) ‖
///   LS count (0, or 1 + zigzag) ‖ recorded f64 ‖ delivered f64. ``init(decoding:)`` reads it alone
///   (no components, bits or groups) and ``encoded()`` writes it.
/// - `componentSummaries` (``ViewKeys/componentSummary(_:component:)``), one row per component with
///   effective flags (deleted when it has none): ``ComponentSummary/encoded()``.
/// - `certifications` (``ViewKeys/certification(_:workspace:)``), one row per group that has flagged
///   components or a GOOD count (absent = empty): ``Certification/encoded()``.
/// - `oms` rows of the run give `dcs` (``OMSBitView/counts``).
///
/// A reader scans the dataset's prefixes (``ViewKeys/componentSummariesPrefix(_:)``,
/// ``ViewKeys/certificationsPrefix(_:)``) and the run's `oms` rows, and assembles the whole view with
/// ``init(rows:)``. Integers are zigzag varints unless stated; doubles are IEEE 754 bits, big-endian.
public struct DatasetSummaryView: Sendable, Equatable {
    /// The effective-flag summary of one component (one `triplet_summary` entry).
    public struct ComponentSummary: Sendable, Equatable {
        /// LS counts per effective status.
        public var counts: StatusCounts
        /// LS counts per distinct non-empty comment of the effective flags.
        public var commentCounts: [String: Int]
        /// LS counts per distinct non-empty cause of the effective flags.
        public var causeCounts: [String: Int]

        /// Creates a summary.
        public init(counts: StatusCounts = StatusCounts(), commentCounts: [String: Int] = [:], causeCounts: [String: Int] = [:]) {
            self.counts = counts
            self.commentCounts = commentCounts
            self.causeCounts = causeCounts
        }

        /// The distinct non-empty comments, sorted by UTF-8 bytes.
        public var comments: [String] { commentCounts.keys.sorted(by: String.utf8Less) }
        /// The distinct non-empty causes, sorted by UTF-8 bytes.
        public var causes: [String] { causeCounts.keys.sorted(by: String.utf8Less) }

        /// Adds (`sign` 1) or removes (`sign` −1) `length` lumisections of `flag`.
        mutating func add(_ flag: Flag, length: Int, sign: Int) {
            counts[flag.status] += sign * length
            if !flag.comment.isEmpty { Self.bump(&commentCounts, flag.comment, sign * length) }
            if !flag.cause.isEmpty { Self.bump(&causeCounts, flag.cause, sign * length) }
        }

        private static func bump(_ map: inout [String: Int], _ key: String, _ delta: Int) {
            let v = map[key, default: 0] + delta
            map[key] = v == 0 ? nil : v
        }

        /// The `componentSummaries` row's canonical bytes. Encoding (format 2): format byte ‖ last
        /// sequence varint ‖ 5 status counts (GOOD, BAD, STANDBY, EXCLUDED, NOTSET) ‖ comment counts ‖
        /// cause counts (each a count, then (string, LS count) pairs sorted by string).
        public func encoded(lastSequence: UInt64) -> [UInt8] {
            var w = RowWriter(format: DatasetSummaryView.format, capacity: 24)
            w.varint(lastSequence)
            SummaryCoding.writeComponent(&w, self)
            return w.bytes
        }

        /// Decodes a `componentSummaries` row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
        public init(decoding bytes: [UInt8]) throws {
            self = try Self.decode(bytes).summary
        }

        static func decode(_ bytes: [UInt8]) throws(ProjectionError) -> (summary: ComponentSummary, lastSequence: UInt64) {
            try RowReader.decode(bytes, format: DatasetSummaryView.format, what: "componentSummaries") { r throws(DecodingError) in
                let last = try r.varint()
                return (try SummaryCoding.readComponent(&r), last)
            }
        }
    }

    /// The certified lumisections of one workspace (or `global`) of the dataset, and their recorded luminosity.
    public struct Certification: Sendable, Equatable {
        /// Per lumisection, how many of the group's flagged components are GOOD there (absent = 0).
        public var goodCounts: [IntervalMap<Int>.Segment]
        /// How many of the group's components have any effective flag in the dataset.
        public var flaggedComponents: Int
        /// The recorded luminosity of the certified lumisections (the dataset's pass contribution).
        public var recordedLuminosity: Double

        /// Creates a group.
        public init(goodCounts: [IntervalMap<Int>.Segment] = [], flaggedComponents: Int = 0, recordedLuminosity: Double = 0) {
            self.goodCounts = goodCounts
            self.flaggedComponents = flaggedComponents
            self.recordedLuminosity = recordedLuminosity
        }

        /// The lumisections where every flagged component of the group is GOOD (none when no component has flags).
        public var certifiedRanges: [LumisectionRange] {
            guard flaggedComponents > 0 else { return [] }
            var out: [LumisectionRange] = []
            for s in goodCounts where s.value == flaggedComponents {
                if let last = out.last, last.last + 1 == s.range.first {
                    out[out.count - 1] = Segments.range(last.first, s.range.last)
                } else {
                    out.append(s.range)
                }
            }
            return out
        }

        /// Whether the group has nothing: no flagged component, no GOOD count, no luminosity (its row is then absent).
        var isEmpty: Bool { goodCounts.isEmpty && flaggedComponents == 0 && recordedLuminosity == 0 }

        /// The `certifications` row's canonical bytes. Encoding (format 2): format byte ‖ last sequence
        /// varint ‖ flagged components ‖ recorded luminosity f64 ‖ GOOD-count segments (as in
        /// ``FlagRangesView``, with a zigzag value).
        public func encoded(lastSequence: UInt64) -> [UInt8] {
            var w = RowWriter(format: DatasetSummaryView.format, capacity: 24 + 4 * goodCounts.count)
            w.varint(lastSequence)
            SummaryCoding.writeGroup(&w, self)
            return w.bytes
        }

        /// Decodes a `certifications` row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
        public init(decoding bytes: [UInt8]) throws {
            self = try Self.decode(bytes).group
        }

        static func decode(_ bytes: [UInt8]) throws(ProjectionError) -> (group: Certification, lastSequence: UInt64) {
            try RowReader.decode(bytes, format: DatasetSummaryView.format, what: "certifications") { r throws(DecodingError) in
                let last = try r.varint()
                return (try SummaryCoding.readGroup(&r), last)
            }
        }
    }

    /// The run number.
    public var run: Int
    /// The dataset name.
    public var name: String
    /// The processing pass key (`""` when the name fits no pass).
    public var passKey: String
    /// The dataset's offline workspaces, sorted (empty for the online dataset).
    public var workspaces: [String]
    /// The run's lumisection count, nil until known; `lumisectionCount − total` is the RR's EMPTY count.
    public var lumisectionCount: Int?
    /// Per component key, the effective-flag summary; only components that have had flags.
    public var components: [String: ComponentSummary]
    /// Per OMS bit of the run, LS counts by value.
    public var dcs: [String: BitCounts]
    /// The run's recorded luminosity sum.
    public var recordedLuminosity: Double
    /// The run's delivered luminosity sum.
    public var deliveredLuminosity: Double
    /// Per workspace of the dataset, and `global`: the certified lumisections and their luminosity.
    public var certification: [String: Certification]
    /// The sequence of the event that last changed this row.
    public var lastSequence: UInt64

    /// Creates a row.
    public init(
        run: Int, name: String, passKey: String, workspaces: [String], lumisectionCount: Int?,
        components: [String: ComponentSummary] = [:], dcs: [String: BitCounts] = [:], recordedLuminosity: Double = 0,
        deliveredLuminosity: Double = 0, certification: [String: Certification] = [:], lastSequence: UInt64 = 0
    ) {
        self.run = run
        self.name = name
        self.passKey = passKey
        self.workspaces = workspaces
        self.lumisectionCount = lumisectionCount
        self.components = components
        self.dcs = dcs
        self.recordedLuminosity = recordedLuminosity
        self.deliveredLuminosity = deliveredLuminosity
        self.certification = certification
        self.lastSequence = lastSequence
    }

    /// The number of lumisections of the run without an effective flag for `component` (the RR's EMPTY), when the count is known.
    public func emptyCount(component: String) -> Int? {
        lumisectionCount.map { Swift.max(0, $0 - (components[component]?.counts.total ?? 0)) }
    }

    static let format: UInt8 = 2

    /// The `summaries` row's canonical bytes: the dataset-level fields only (see the type's documentation).
    public func encoded() -> [UInt8] {
        var w = RowWriter(format: Self.format, capacity: 64 + name.utf8.count + passKey.utf8.count + 2 * workspaces.count)
        w.varint(lastSequence)
        w.varint(UInt64(run))
        w.string(name)
        w.string(passKey)
        w.workspaces(workspaces)
        w.optionalInt(lumisectionCount)
        w.double(recordedLuminosity)
        w.double(deliveredLuminosity)
        return w.bytes
    }

    /// Decodes a `summaries` row alone (no components, bits or groups); throws ``ProjectionError`` (corrupt row)
    /// for bytes that are not one. Use ``init(rows:)`` for the whole summary.
    public init(decoding bytes: [UInt8]) throws {
        self = try Self.decode(bytes)
    }

    static func decode(_ bytes: [UInt8]) throws(ProjectionError) -> DatasetSummaryView {
        try RowReader.decode(bytes, format: format, what: "summaries") { r throws(DecodingError) in
            let last = try r.varint()
            let run = try r.nonNegative()
            let name = try r.string()
            let pass = try r.string()
            let workspaces = try r.workspaces()
            let count = try r.optionalInt()
            let recorded = try r.double()
            let delivered = try r.double()
            return DatasetSummaryView(
                run: run, name: name, passKey: pass, workspaces: workspaces, lumisectionCount: count,
                recordedLuminosity: recorded, deliveredLuminosity: delivered, lastSequence: last)
        }
    }

    /// The pass key and whether `workspace` is one of the dataset's, read from a `summaries` row without decoding the rest.
    static func passAndWorkspace(_ bytes: [UInt8], workspace: String) throws(ProjectionError) -> (passKey: String, hasWorkspace: Bool) {
        let token = WorkspaceNames.token(workspace)
        return try RowReader.prefix(bytes, format: format, what: "summaries") { r throws(DecodingError) in
            _ = try r.varint()
            _ = try r.varint()
            try r.r.skipString()
            let pass = try r.string()
            let n = try r.count()
            for _ in 0..<n where try r.skipWorkspace(matching: token) { return (pass, true) }
            return (pass, false)
        }
    }

    /// Assembles the whole summary from its rows, as prefix scans return them (in any order): the
    /// `summaries` row, its `componentSummaries` and `certifications` rows, and the run's `oms` rows (for
    /// ``dcs``). Rows of other entities are refused. Groups without a row are empty; ``lastSequence`` is
    /// the latest of the rows'.
    ///
    /// ```swift
    /// var rows = [(ViewKeys.summary(key), summaryBytes)]
    /// rows += scan(ViewKeys.componentSummariesPrefix(key)) + scan(ViewKeys.certificationsPrefix(key))
    /// rows += scan(ViewKey(view: .oms, key: runBytes))
    /// let summary = try DatasetSummaryView(rows: rows)
    /// ```
    ///
    /// - Throws: ``ProjectionError`` (corrupt row) when a row does not decode or the `summaries` row is missing.
    public init(rows: [(key: ViewKey, value: [UInt8])]) throws {
        guard let main = rows.first(where: { $0.key.view == .summaries }) else {
            throw ProjectionError(.corruptRow, "a dataset summary needs its summaries row")
        }
        var view = try Self.decode(main.value)
        let dataset = DatasetKey(run: view.run, name: view.name)
        guard main.key == ViewKeys.summary(dataset) else {
            throw ProjectionError(.corruptRow, "the summaries row \(main.key) holds \(dataset)")
        }
        for group in [DatasetAggregate.globalWorkspace] + view.workspaces { view.certification[group] = Certification() }
        for row in rows {
            switch (row.key.view, ViewKeys.parse(row.key)) {
            case (.summaries, _):
                continue
            case (.componentSummaries, .component(let k, let c)?) where k == dataset:
                let (summary, last) = try ComponentSummary.decode(row.value)
                view.components[c] = summary
                view.lastSequence = Swift.max(view.lastSequence, last)
            case (.certifications, .group(let k, let w)?) where k == dataset:
                let (group, last) = try Certification.decode(row.value)
                view.certification[w] = group
                view.lastSequence = Swift.max(view.lastSequence, last)
            case (.oms, .oms(let run, let bit)?) where run == dataset.run:
                view.dcs[bit] = try OMSBitView(decoding: row.value).counts
            default:
                throw ProjectionError(.corruptRow, "\(row.key) is not a row of the summary of \(dataset)")
            }
        }
        self = view
    }

    /// The rows that store this summary (without the `oms` rows its ``dcs`` comes from): the inverse of ``init(rows:)``.
    public func encodedRows() -> [(key: ViewKey, value: [UInt8])] {
        let dataset = DatasetKey(run: run, name: name)
        var out: [(key: ViewKey, value: [UInt8])] = [(ViewKeys.summary(dataset), encoded())]
        for c in components.keys.sorted(by: String.utf8Less) where components[c]!.counts.total > 0 {
            out.append((ViewKeys.componentSummary(dataset, component: c), components[c]!.encoded(lastSequence: lastSequence)))
        }
        for g in certification.keys.sorted(by: String.utf8Less) where !certification[g]!.isEmpty {
            out.append((ViewKeys.certification(dataset, workspace: g), certification[g]!.encoded(lastSequence: lastSequence)))
        }
        return out
    }
}
