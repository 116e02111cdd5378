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

/// The `summaries` view row of one dataset: the Run Registry's DatasetTripletCache, kept up to date per event.
///
/// - `components`: per component, LS counts per effective status and the distinct non-empty comments
///   and causes (`triplet_summary`); kept as running counts and adjusted by each flag event's delta.
/// - `dcs`: per OMS bit, LS counts true/false/null (`dcs_summary`). Offline datasets take their run's
///   online OMS bits, since OMS bits are recorded on the online dataset.
/// - `recordedLuminosity`/`deliveredLuminosity`: the run's luminosity sums (`brilcalc_*_luminosity`).
/// - `certification`: per workspace of the dataset and `global`, the lumisections where every component
///   of that workspace (every component, for `global`) that has flags is GOOD, and their recorded
///   luminosity: this dataset's contribution to its ``PassView`` rows.
///
/// Encoding (format 1): format byte ‖ last sequence u64 BE ‖ header (length varint ‖ run varint ‖ name ‖
/// pass key ‖ workspaces (count + sorted strings) ‖ LS count (0, or 1 + zigzag) ‖ recorded f64 ‖ delivered f64)
/// ‖ three sections: components, DCS bits, certification groups. A section is a count, then entries sorted
/// by key bytes, each `entry length varint ‖ key string ‖ body`, so one entry can be replaced without
/// decoding the others. Bodies: a component is 5 status counts (GOOD, BAD, STANDBY, EXCLUDED, NOTSET) ‖
/// comment counts ‖ cause counts (each a count, then sorted (string, LS count) pairs); a bit is its true,
/// false and null counts; a group is flagged components ‖ recorded f64 ‖ GOOD-count segments (as in
/// ``FlagRangesView``, with a zigzag value). Integers are zigzag varints unless stated.
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

    static let format: UInt8 = 1

    /// The row's canonical bytes.
    public func encoded() -> [UInt8] {
        var w = RowWriter(format: Self.format, capacity: 96 + 24 * components.count + 16 * dcs.count)
        w.uint64BE(lastSequence)
        w.w.writeBytes(SummaryCoding.header(self))
        func section<V>(_ map: [String: V], _ body: (inout RowWriter, V) -> Void) {
            let keys = map.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
            w.count(keys.count)
            for k in keys {
                var e = RowWriter(capacity: 32)
                body(&e, map[String(decoding: k, as: UTF8.self)]!)
                SummaryCoding.writeEntry(key: k, body: e.bytes, to: &w)
            }
        }
        section(components, SummaryCoding.writeComponent)
        section(dcs, SummaryCoding.writeBits)
        section(certification, SummaryCoding.writeGroup)
        return w.bytes
    }

    /// Decodes a row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
    public init(decoding bytes: [UInt8]) throws {
        self = try Self.decode(bytes)
    }

    static func decode(_ bytes: [UInt8]) throws(ProjectionError) -> DatasetSummaryView {
        try RowReader.decode(bytes, format: format, what: "summaries") { r throws(DecodingError) in
            let last = try r.uint64BE()
            let headerLength = try r.count()
            let headerEnd = r.r.offset + headerLength
            var view = try SummaryCoding.readHeader(&r)
            guard r.r.offset == headerEnd else { throw DecodingError(.invalidValue, offset: r.r.offset, detail: "summary header") }
            view.lastSequence = last
            func section<V>(_ body: (inout RowReader) throws(DecodingError) -> V) throws(DecodingError) -> [String: V] {
                let n = try r.count()
                var map: [String: V] = [:]
                map.reserveCapacity(n)
                for _ in 0..<n {
                    let length = try r.count()
                    let end = r.r.offset + length
                    let key = try r.string()
                    map[key] = try body(&r)
                    guard r.r.offset == end else { throw DecodingError(.invalidValue, offset: r.r.offset, detail: "summary entry") }
                }
                return map
            }
            view.components = try section(SummaryCoding.readComponent)
            view.dcs = try section(SummaryCoding.readBits)
            view.certification = try section(SummaryCoding.readGroup)
            return view
        }
    }
}
