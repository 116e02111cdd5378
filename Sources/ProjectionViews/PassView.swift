public import Certification
import LedgerCore

/// The progress of one processing pass in one workspace (or `global`): counts, open items and certified luminosity.
///
/// Counts datasets, and distinct runs, per state of the workspace; lists the open items (datasets
/// not COMPLETED and not `not significant for workspace`) sorted by run then name; and sums the
/// certified-GOOD recorded luminosity of the pass's datasets (each dataset's contribution is kept in
/// its `certifications` row, ``DatasetSummaryView/Certification``, so a change adjusts the sum by the difference).
///
/// Stored as two views, so no row grows with the number of datasets of the pass:
///
/// - `passes` (``ViewKeys/pass(_:workspace:)``), one small fixed-size row. Encoding (format 2): format
///   byte ‖ last sequence u64 BE ‖ certified luminosity f64 (both fixed-width at offsets 1 and 9 so a
///   luminosity change patches them in place) ‖ pass key ‖ workspace ‖ dataset counts (5 varints, in
///   `DatasetWorkspaceState.allCases` order) ‖ run counts (5 varints). ``init(decoding:)`` reads it with
///   no open items and ``encoded()`` writes it.
/// - `passItems` (``ViewKeys/passItem(_:workspace:dataset:)``), one row per open item, present while the
///   dataset is open there and deleted when it is not. Encoding: format byte (2) ‖ state byte. A reader
///   lists them with a prefix scan of ``ViewKeys/passItemsPrefix(_:workspace:)`` (they sort by run, then
///   name) and assembles the whole view with ``init(rows:)``.
public struct PassView: Sendable, Equatable {
    /// A dataset that still needs work in the workspace, and its state there.
    public struct OpenItem: Sendable, Hashable, Comparable {
        /// The dataset.
        public var dataset: DatasetKey
        /// Its state in the workspace.
        public var state: DatasetWorkspaceState

        /// Creates an item.
        public init(dataset: DatasetKey, state: DatasetWorkspaceState) {
            self.dataset = dataset
            self.state = state
        }

        public static func < (a: OpenItem, b: OpenItem) -> Bool { a.dataset < b.dataset }
    }

    /// The pass key, e.g. `prompt/Collisions2024A` or `online`.
    public var passKey: String
    /// The workspace, or `global`.
    public var workspace: String
    /// The number of datasets per state in the workspace.
    public var datasetCounts: [DatasetWorkspaceState: Int]
    /// The number of distinct runs that have a dataset of the pass in each state.
    public var runCounts: [DatasetWorkspaceState: Int]
    /// The datasets not COMPLETED and not `not significant for workspace`, sorted by run then name; empty
    /// when decoded from the `passes` row alone (``init(rows:)`` adds them from their `passItems` rows).
    public var openItems: [OpenItem]
    /// The recorded luminosity of the lumisections certified GOOD in the workspace, summed over the pass's datasets.
    public var certifiedRecordedLuminosity: Double
    /// The sequence of the event that last changed this row.
    public var lastSequence: UInt64

    /// Creates a row.
    public init(
        passKey: String, workspace: String, datasetCounts: [DatasetWorkspaceState: Int] = [:],
        runCounts: [DatasetWorkspaceState: Int] = [:], openItems: [OpenItem] = [], certifiedRecordedLuminosity: Double = 0,
        lastSequence: UInt64 = 0
    ) {
        self.passKey = passKey
        self.workspace = workspace
        self.datasetCounts = datasetCounts
        self.runCounts = runCounts
        self.openItems = openItems
        self.certifiedRecordedLuminosity = certifiedRecordedLuminosity
        self.lastSequence = lastSequence
    }

    /// Assembles the view from its `passes` row and its `passItems` rows (as a prefix scan returns them, in any order).
    ///
    /// - Throws: ``ProjectionError`` (corrupt row) when a row does not decode, an item belongs to another
    ///   pass or workspace, or the `passes` row is missing.
    public init(rows: [(key: ViewKey, value: [UInt8])]) throws {
        guard let main = rows.first(where: { $0.key.view == .passes }) else {
            throw ProjectionError(.corruptRow, "a pass view needs its passes row")
        }
        var view = try PassView.decode(main.value)
        guard ViewKeys.parse(main.key) == .pass(passKey: view.passKey, workspace: view.workspace) else {
            throw ProjectionError(.corruptRow, "the passes row \(main.key) holds \(view.passKey) \(view.workspace)")
        }
        for row in rows where row.key.view == .passItems {
            guard case .passItem(let p, let w, let dataset)? = ViewKeys.parse(row.key), p == view.passKey, w == view.workspace else {
                throw ProjectionError(.corruptRow, "\(row.key) is not an open item of \(view.passKey) \(view.workspace)")
            }
            view.openItems.append(OpenItem(dataset: dataset, state: try Self.itemState(row.value)))
        }
        view.openItems.sort()
        self = view
    }

    /// The `passItems` row value of an open item in `state`.
    static func itemValue(_ state: DatasetWorkspaceState) -> [UInt8] { [format, UInt8(state.index)] }

    /// The state an encoded `passItems` row holds.
    static func itemState(_ bytes: [UInt8]) throws(ProjectionError) -> DatasetWorkspaceState {
        guard bytes.count == 2, bytes[0] == format, let s = DatasetWorkspaceState.at(bytes[1]), s.isOpenItem else {
            throw ProjectionError(.corruptRow, "a passItems row does not decode")
        }
        return s
    }

    static let format: UInt8 = 2

    /// The `passes` row's canonical bytes (counts and luminosity; the open items are their own rows).
    public func encoded() -> [UInt8] {
        var w = RowWriter(format: Self.format, capacity: 40 + passKey.utf8.count + workspace.utf8.count)
        w.uint64BE(lastSequence)
        w.double(certifiedRecordedLuminosity)
        w.string(passKey)
        w.string(workspace)
        for s in DatasetWorkspaceState.allCases { w.int(datasetCounts[s] ?? 0) }
        for s in DatasetWorkspaceState.allCases { w.int(runCounts[s] ?? 0) }
        return w.bytes
    }

    /// Decodes a `passes` row (without open items); throws ``ProjectionError`` (corrupt row) for bytes that are not one.
    public init(decoding bytes: [UInt8]) throws {
        self = try Self.decode(bytes)
    }

    static func decode(_ bytes: [UInt8]) throws(ProjectionError) -> PassView {
        try RowReader.decode(bytes, format: format, what: "passes") { r throws(DecodingError) in
            let last = try r.uint64BE()
            let lumi = try r.double()
            let pass = try r.string()
            let ws = try r.string()
            var datasets: [DatasetWorkspaceState: Int] = [:]
            var runs: [DatasetWorkspaceState: Int] = [:]
            for s in DatasetWorkspaceState.allCases {
                let v = try r.int()
                if v != 0 { datasets[s] = v }
            }
            for s in DatasetWorkspaceState.allCases {
                let v = try r.int()
                if v != 0 { runs[s] = v }
            }
            return PassView(
                passKey: pass, workspace: ws, datasetCounts: datasets, runCounts: runs, openItems: [],
                certifiedRecordedLuminosity: lumi, lastSequence: last)
        }
    }
    /// The counts of an encoded `passes` row, read without decoding its strings: dataset counts then run
    /// counts, in `DatasetWorkspaceState.allCases` order, and where they start.
    struct Counts {
        var values: [Int]
        let start: Int

        init(_ bytes: [UInt8]) throws(ProjectionError) {
            let parsed = try RowReader.decode(bytes, format: PassView.format, what: "passes") { r throws(DecodingError) in
                r.r.offset = 17
                try r.r.skipString()
                try r.r.skipString()
                let start = r.r.offset
                var values: [Int] = []
                values.reserveCapacity(10)
                for _ in 0..<10 { values.append(try r.int()) }
                return (values, start)
            }
            values = parsed.0
            start = parsed.1
        }

        mutating func bump(_ state: DatasetWorkspaceState, runs: Bool, _ delta: Int) {
            values[(runs ? 5 : 0) + state.index] += delta
        }

        /// `bytes` with these counts, stamped with `sequence`.
        func encoded(over bytes: [UInt8], sequence: UInt64) -> [UInt8] {
            var w = RowWriter(capacity: start + 12)
            w.w.writeRaw(bytes[0..<start])
            for v in values { w.int(v) }
            var out = w.bytes
            for i in 0..<8 { out[1 + i] = UInt8(truncatingIfNeeded: sequence >> (56 - 8 * UInt64(i))) }
            return out
        }
    }

    /// Adds `delta` to the certified luminosity of an encoded row and stamps `sequence`, without decoding the rest.
    static func patchLuminosity(_ bytes: [UInt8], delta: Double, sequence: UInt64) throws(ProjectionError) -> [UInt8] {
        guard bytes.count >= 17, bytes[0] == format else {
            throw ProjectionError(.corruptRow, "a passes row is too short or has an unknown format")
        }
        var out = bytes
        var old: UInt64 = 0
        for i in 9..<17 { old = old << 8 | UInt64(bytes[i]) }
        let value = Double(bitPattern: old) + delta
        let bits = RowWriter.bits(value)
        for i in 0..<8 {
            out[1 + i] = UInt8(truncatingIfNeeded: sequence >> (56 - 8 * UInt64(i)))
            out[9 + i] = UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64(i)))
        }
        return out
    }
}
