public import Certification

/// A projection view of the certification projection: each has its own rows, keyed by ``ViewKey``.
public enum ViewName: String, Sendable, CaseIterable {
    /// One row per run: ``RunView``.
    case runs
    /// One row per dataset: ``DatasetView``.
    case datasets
    /// One row per dataset and component: ``FlagRangesView``.
    case flags
    /// One row per run and OMS bit: ``OMSBitView``.
    case oms
    /// One row per run: ``LuminosityView``.
    case luminosity
    /// One row per dataset: the dataset-level fields of ``DatasetSummaryView`` (the Run Registry's
    /// DatasetTripletCache); the whole summary is assembled with ``DatasetSummaryView/init(rows:)``.
    case summaries
    /// One row per processing pass and workspace: ``PassView`` (its counts and certified luminosity).
    case passes
    /// One row per open item of a processing pass and workspace: a dataset not COMPLETED and not
    /// `not significant for workspace` there (``PassView/OpenItem``); deleted when it stops being open.
    case passItems
    /// One row per dataset and component that has effective flags: ``DatasetSummaryView/ComponentSummary``.
    case componentSummaries
    /// One row per dataset and workspace (or `global`): ``DatasetSummaryView/Certification``, the
    /// dataset's certified lumisections there and its contribution to the ``PassView`` luminosity.
    case certifications
}

/// A row's identity: the view and an entity key whose bytes sort sensibly (big-endian run numbers first).
///
/// Build keys with ``ViewKeys`` and read them back with ``ViewKeys/parse(_:)``.
public struct ViewKey: Hashable, Sendable, CustomStringConvertible {
    /// The view the row belongs to.
    public var view: ViewName
    /// The entity key bytes; their layout depends on the view (see ``ViewKeys``).
    public var key: [UInt8]

    /// Creates a key.
    public init(view: ViewName, key: [UInt8]) {
        self.view = view
        self.key = key
    }

    public static func == (a: ViewKey, b: ViewKey) -> Bool { a.view == b.view && a.key == b.key }

    /// Hashes the key bytes in one call, not byte by byte (keys are looked up on every event).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(view)
        hasher.combine(key.count)
        key.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// `flags:355100 online dt-dt`, for messages; built from the parsed key when it parses.
    public var description: String {
        guard let parsed = ViewKeys.parse(self) else { return "\(view.rawValue):<\(key.count) bytes>" }
        return "\(view.rawValue):\(parsed)"
    }
}

/// A parsed entity key: what a ``ViewKey`` identifies.
public enum ViewEntity: Sendable, Hashable, CustomStringConvertible {
    /// A run (views `runs` and `luminosity`).
    case run(Int)
    /// A dataset (views `datasets` and `summaries`).
    case dataset(DatasetKey)
    /// A component of a dataset (view `flags`).
    case flags(DatasetKey, component: String)
    /// An OMS bit of a run (view `oms`).
    case oms(run: Int, bit: String)
    /// A workspace (or `global`) of a processing pass (view `passes`).
    case pass(passKey: String, workspace: String)
    /// An open item: a dataset in a workspace (or `global`) of a processing pass (view `passItems`).
    case passItem(passKey: String, workspace: String, dataset: DatasetKey)
    /// A component's summary of a dataset (view `componentSummaries`).
    case component(DatasetKey, component: String)
    /// A workspace (or `global`) of a dataset (view `certifications`).
    case group(DatasetKey, workspace: String)

    public var description: String {
        switch self {
        case .run(let n): return "\(n)"
        case .dataset(let k): return "\(k.run) \(k.name)"
        case .flags(let k, let c): return "\(k.run) \(k.name) \(c)"
        case .oms(let run, let bit): return "\(run) \(bit)"
        case .pass(let p, let w): return "\(p) \(w)"
        case .passItem(let p, let w, let k): return "\(p) \(w) \(k.run) \(k.name)"
        case .component(let k, let c): return "\(k.run) \(k.name) \(c)"
        case .group(let k, let w): return "\(k.run) \(k.name) \(w)"
        }
    }
}

/// Builds the entity keys of every view, and parses them back.
///
/// | view | key bytes |
/// |---|---|
/// | `runs`, `luminosity` | run u32 BE |
/// | `datasets`, `summaries` | run u32 BE ‖ dataset name UTF-8 |
/// | `flags` | run u32 BE ‖ dataset name ‖ 0x00 ‖ component |
/// | `oms` | run u32 BE ‖ bit name |
/// | `passes` | pass key (e.g. `prompt/Collisions2024A`) ‖ 0x00 ‖ workspace (or `global`) |
/// | `passItems` | pass key ‖ 0x00 ‖ workspace ‖ 0x00 ‖ run u32 BE ‖ dataset name |
/// | `componentSummaries` | run u32 BE ‖ dataset name ‖ 0x00 ‖ component |
/// | `certifications` | run u32 BE ‖ dataset name ‖ 0x00 ‖ workspace (or `global`) |
///
/// A view's rows of one dataset (or one pass and workspace) share a prefix, so a reader lists them
/// with a prefix scan: ``flagsPrefix(_:)``, ``componentSummariesPrefix(_:)``, ``certificationsPrefix(_:)``,
/// ``passItemsPrefix(_:workspace:)``.
///
/// Big-endian run numbers make a view's rows sort by run, then by name. Run numbers must lie in
/// `0...UInt32.max`; ``CertificationProjection`` refuses events with other run numbers before it builds a key.
public enum ViewKeys {
    /// The row of a run in `runs`.
    public static func run(_ run: Int) -> ViewKey { ViewKey(view: .runs, key: runBytes(run)) }

    /// The row of a dataset in `datasets`: run u32 BE ‖ name UTF-8.
    public static func dataset(_ key: DatasetKey) -> ViewKey { ViewKey(view: .datasets, key: datasetBytes(key)) }

    /// The row of a dataset's component in `flags`: run u32 BE ‖ name ‖ 0x00 ‖ component.
    public static func flags(_ key: DatasetKey, component: String) -> ViewKey {
        ViewKey(view: .flags, key: datasetBytes(key, suffix: component))
    }

    /// The row of an OMS bit of a run in `oms`: run u32 BE ‖ bit name.
    public static func oms(run: Int, bit: String) -> ViewKey {
        var bytes = runBytes(run)
        bytes.append(contentsOf: bit.utf8)
        return ViewKey(view: .oms, key: bytes)
    }

    /// The row of a run in `luminosity`.
    public static func luminosity(run: Int) -> ViewKey { ViewKey(view: .luminosity, key: runBytes(run)) }

    /// The dataset-level row of a dataset's summary in `summaries`.
    public static func summary(_ key: DatasetKey) -> ViewKey { ViewKey(view: .summaries, key: datasetBytes(key)) }

    /// The row of a processing pass's workspace in `passes`, e.g. `prompt/Collisions2024A` ‖ 0x00 ‖ `tracker`.
    public static func pass(_ passKey: String, workspace: String) -> ViewKey {
        var bytes = Array(passKey.utf8)
        bytes.append(0)
        bytes.append(contentsOf: workspace.utf8)
        return ViewKey(view: .passes, key: bytes)
    }

    /// The row of an open item of a pass's workspace in `passItems`: pass ‖ 0x00 ‖ workspace ‖ 0x00 ‖ run u32 BE ‖ name.
    public static func passItem(_ passKey: String, workspace: String, dataset: DatasetKey) -> ViewKey {
        var bytes = passItemsPrefix(passKey, workspace: workspace).key
        bytes.append(contentsOf: datasetBytes(dataset))
        return ViewKey(view: .passItems, key: bytes)
    }

    /// The prefix of every `passItems` row of a pass's workspace (pass ‖ 0x00 ‖ workspace ‖ 0x00): scan it to list the open items.
    public static func passItemsPrefix(_ passKey: String, workspace: String) -> ViewKey {
        var bytes = Array(passKey.utf8)
        bytes.append(0)
        bytes.append(contentsOf: workspace.utf8)
        bytes.append(0)
        return ViewKey(view: .passItems, key: bytes)
    }

    /// The row of a dataset's component in `componentSummaries`: run u32 BE ‖ name ‖ 0x00 ‖ component.
    public static func componentSummary(_ key: DatasetKey, component: String) -> ViewKey {
        ViewKey(view: .componentSummaries, key: datasetBytes(key, suffix: component))
    }

    /// The row of a dataset's workspace (or `global`) in `certifications`: run u32 BE ‖ name ‖ 0x00 ‖ workspace.
    public static func certification(_ key: DatasetKey, workspace: String) -> ViewKey {
        ViewKey(view: .certifications, key: datasetBytes(key, suffix: workspace))
    }

    /// The prefix of a dataset's rows in `flags` (run u32 BE ‖ name ‖ 0x00).
    public static func flagsPrefix(_ key: DatasetKey) -> ViewKey { ViewKey(view: .flags, key: datasetBytes(key, suffix: "")) }

    /// The prefix of a dataset's rows in `componentSummaries` (run u32 BE ‖ name ‖ 0x00).
    public static func componentSummariesPrefix(_ key: DatasetKey) -> ViewKey {
        ViewKey(view: .componentSummaries, key: datasetBytes(key, suffix: ""))
    }

    /// The prefix of a dataset's rows in `certifications` (run u32 BE ‖ name ‖ 0x00).
    public static func certificationsPrefix(_ key: DatasetKey) -> ViewKey {
        ViewKey(view: .certifications, key: datasetBytes(key, suffix: ""))
    }

    /// Reads a key back into the entity it names; nil when its bytes do not fit its view's layout.
    public static func parse(_ key: ViewKey) -> ViewEntity? {
        let b = key.key
        switch key.view {
        case .runs, .luminosity:
            guard b.count == 4 else { return nil }
            return .run(readRun(b))
        case .datasets, .summaries:
            guard b.count > 4, let name = utf8(b[4...]), !name.utf8.contains(0) else { return nil }
            return .dataset(DatasetKey(run: readRun(b), name: name))
        case .flags, .componentSummaries, .certifications:
            guard b.count > 4, let cut = b[4...].firstIndex(of: 0), cut > 4, let name = utf8(b[4..<cut]),
                let component = utf8(b[(cut + 1)...]), !component.isEmpty, !component.utf8.contains(0)
            else { return nil }
            let dataset = DatasetKey(run: readRun(b), name: name)
            switch key.view {
            case .flags: return .flags(dataset, component: component)
            case .componentSummaries: return .component(dataset, component: component)
            default: return .group(dataset, workspace: component)
            }
        case .oms:
            guard b.count > 4, let bit = utf8(b[4...]) else { return nil }
            return .oms(run: readRun(b), bit: bit)
        case .passes:
            guard let cut = b.firstIndex(of: 0), cut > 0, let pass = utf8(b[..<cut]),
                let ws = utf8(b[(cut + 1)...]), !ws.isEmpty, !ws.utf8.contains(0)
            else { return nil }
            return .pass(passKey: pass, workspace: ws)
        case .passItems:
            guard let cut = b.firstIndex(of: 0), cut > 0, let pass = utf8(b[..<cut]),
                let cut2 = b[(cut + 1)...].firstIndex(of: 0), cut2 > cut + 1, let ws = utf8(b[(cut + 1)..<cut2]),
                b.count > cut2 + 5, let name = utf8(b[(cut2 + 5)...]), !name.utf8.contains(0)
            else { return nil }
            let run = Array(b[(cut2 + 1)..<(cut2 + 5)])
            return .passItem(passKey: pass, workspace: ws, dataset: DatasetKey(run: readRun(run), name: name))
        }
    }

    // MARK: - Internals

    static func runBytes(_ run: Int) -> [UInt8] {
        let v = UInt32(truncatingIfNeeded: run)
        return [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static func datasetBytes(_ key: DatasetKey) -> [UInt8] {
        var bytes = runBytes(key.run)
        bytes.append(contentsOf: key.name.utf8)
        return bytes
    }

    /// run u32 BE ‖ name ‖ 0x00 ‖ suffix.
    static func datasetBytes(_ key: DatasetKey, suffix: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(6 + key.name.utf8.count + suffix.utf8.count)
        let v = UInt32(truncatingIfNeeded: key.run)
        bytes.append(UInt8(v >> 24))
        bytes.append(UInt8((v >> 16) & 0xFF))
        bytes.append(UInt8((v >> 8) & 0xFF))
        bytes.append(UInt8(v & 0xFF))
        bytes.append(contentsOf: key.name.utf8)
        bytes.append(0)
        bytes.append(contentsOf: suffix.utf8)
        return bytes
    }

    static func readRun(_ b: [UInt8]) -> Int {
        Int(b[0]) << 24 | Int(b[1]) << 16 | Int(b[2]) << 8 | Int(b[3])
    }

    private static func utf8(_ bytes: ArraySlice<UInt8>) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// Whether `run` fits the 4-byte big-endian run field of a key.
    static func isValidRun(_ run: Int) -> Bool { run >= 0 && run <= Int(UInt32.max) }
}
