public import Certification
import LedgerCore

/// The `passes` view row of one processing pass and one workspace (or `global`): progress and certified luminosity.
///
/// Counts datasets, and distinct runs, per state of the workspace; lists the open items (datasets
/// not COMPLETED and not `not significant for workspace`) sorted by run then name; and sums the
/// certified-GOOD recorded luminosity of the pass's datasets (each dataset's contribution is kept in
/// its ``DatasetSummaryView/certification``, so a change adjusts the sum by the difference).
///
/// Encoding (format 1): format byte ‖ last sequence u64 BE ‖ certified luminosity f64 (both fixed-width
/// at offsets 1 and 9 so a luminosity change patches them in place) ‖ pass key ‖ workspace ‖ dataset
/// counts (5 varints, in `DatasetWorkspaceState.allCases` order) ‖ run counts (5 varints) ‖ name table
/// (count + strings, in order of first use) ‖ open items (count, then per item: run delta from the previous
/// item varint ‖ name index varint ‖ state byte).
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
    /// The datasets not COMPLETED and not `not significant for workspace`, sorted by run then name.
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

    /// Sets the state of `dataset` in the open items: inserted, moved or removed as the state requires.
    mutating func setOpenItem(_ dataset: DatasetKey, state: DatasetWorkspaceState?) {
        var lo = 0
        var hi = openItems.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if openItems[mid].dataset < dataset { lo = mid + 1 } else { hi = mid }
        }
        let present = lo < openItems.count && openItems[lo].dataset == dataset
        switch (present, state.flatMap { $0.isOpenItem ? $0 : nil }) {
        case (true, .some(let s)): openItems[lo].state = s
        case (true, nil): openItems.remove(at: lo)
        case (false, .some(let s)): openItems.insert(OpenItem(dataset: dataset, state: s), at: lo)
        case (false, nil): break
        }
    }

    static let format: UInt8 = 1

    /// The row's canonical bytes.
    public func encoded() -> [UInt8] {
        var w = RowWriter(format: Self.format, capacity: 64 + 6 * openItems.count)
        w.uint64BE(lastSequence)
        w.double(certifiedRecordedLuminosity)
        w.string(passKey)
        w.string(workspace)
        for s in DatasetWorkspaceState.allCases { w.int(datasetCounts[s] ?? 0) }
        for s in DatasetWorkspaceState.allCases { w.int(runCounts[s] ?? 0) }
        let items = openItems.sorted()
        var table: [String] = []
        var indexes: [Int] = []
        indexes.reserveCapacity(items.count)
        for item in items {
            if let i = table.firstIndex(of: item.dataset.name) {
                indexes.append(i)
            } else {
                table.append(item.dataset.name)
                indexes.append(table.count - 1)
            }
        }
        w.strings(table)
        w.count(items.count)
        var previous = 0
        for (item, index) in zip(items, indexes) {
            w.varint(UInt64(item.dataset.run - previous))
            w.count(index)
            w.byte(UInt8(item.state.index))
            previous = item.dataset.run
        }
        return w.bytes
    }

    /// Decodes a row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
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
            let table = try r.strings()
            let n = try r.count()
            var items: [OpenItem] = []
            items.reserveCapacity(n)
            var run = 0
            for _ in 0..<n {
                let at = r.r.offset
                let delta = try r.nonNegative()
                let index = try r.nonNegative()
                let stateIndex = Int(try r.byte())
                guard delta <= Int(UInt32.max), index < table.count, stateIndex < DatasetWorkspaceState.allCases.count else {
                    throw DecodingError(.invalidValue, offset: at, detail: "open item")
                }
                run += delta
                items.append(OpenItem(dataset: DatasetKey(run: run, name: table[index]), state: DatasetWorkspaceState.allCases[stateIndex]))
            }
            return PassView(
                passKey: pass, workspace: ws, datasetCounts: datasets, runCounts: runs, openItems: items,
                certifiedRecordedLuminosity: lumi, lastSequence: last)
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
