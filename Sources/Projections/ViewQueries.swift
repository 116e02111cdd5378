public import Certification
import Foundation
public import LedgerCore
public import LedgerStorage
public import ProjectionViews

/// Typed reads of the certification views, at the current version or as of any past one.
///
/// Every read resolves its version once: a log sequence, or the sequence at or before a time.
/// Each answer comes from one seek per row (entity, version), never from replaying the log.
public struct ViewQueries: Sendable {
    /// The runtime whose views are read.
    public let runtime: ProjectionRuntime

    /// Creates the queries.
    public init(runtime: ProjectionRuntime) {
        self.runtime = runtime
    }

    /// Where a read stands in history.
    public enum Version: Sendable, Hashable {
        /// What the views hold now.
        case latest
        /// As of a log sequence.
        case sequence(UInt64)
        /// As of a moment: the last sequence recorded at or before it.
        case time(LedgerTimestamp)
    }

    /// Turns a version into a log sequence, checking it against the log and the views.
    ///
    /// - Throws: ``LedgerError`` `notFound` for a sequence beyond the log's head.
    public func resolve(_ version: Version) throws -> UInt64 {
        let head = try runtime.log.head().sequence
        switch version {
        case .latest:
            return min(head, runtime.checkpoint)
        case .sequence(let s):
            guard s <= head else {
                throw LedgerError(.notFound, "version \(s) is beyond the latest version \(head)")
            }
            return s
        case .time(let t):
            return try runtime.log.read { try $0.sequence(atOrBefore: t) }
        }
    }

    private func row(_ key: ViewKey, asOf sequence: UInt64) throws -> [UInt8]? {
        try runtime.store.read { s in
            try s.row(namespace: runtime.readNamespace, view: key.view.index, entity: key.key, asOf: sequence)?.value ?? nil
        }
    }

    /// A run as of `sequence`, or nil when it did not exist then.
    public func run(_ run: Int, asOf sequence: UInt64) throws -> RunView? {
        try row(ViewKeys.run(run), asOf: sequence).map { try RunView(decoding: $0) }
    }

    /// A dataset as of `sequence`.
    public func dataset(_ key: DatasetKey, asOf sequence: UInt64) throws -> DatasetView? {
        try row(ViewKeys.dataset(key), asOf: sequence).map { try DatasetView(decoding: $0) }
    }

    /// A component's lumisection flag ranges in a dataset as of `sequence`.
    public func flags(_ key: DatasetKey, component: String, asOf sequence: UInt64) throws -> FlagRangesView? {
        try row(ViewKeys.flags(key, component: component), asOf: sequence).map { try FlagRangesView(decoding: $0) }
    }

    /// Every component's flag ranges of a dataset as of `sequence`, by component.
    public func allFlags(_ key: DatasetKey, asOf sequence: UInt64) throws -> [String: FlagRangesView] {
        let prefix = ViewKeys.flagsPrefix(key).key
        var out: [String: FlagRangesView] = [:]
        try runtime.store.read { s in
            try s.scan(namespace: runtime.readNamespace, view: ViewName.flags.index, entityPrefix: prefix, asOf: sequence) {
                entity, _, value in
                let component = String(decoding: entity.dropFirst(prefix.count), as: UTF8.self)
                out[component] = try FlagRangesView(decoding: value)
                return true
            }
        }
        return out
    }

    /// One OMS bit of a run as of `sequence`.
    public func omsBit(run: Int, bit: String, asOf sequence: UInt64) throws -> OMSBitView? {
        try row(ViewKeys.oms(run: run, bit: bit), asOf: sequence).map { try OMSBitView(decoding: $0) }
    }

    /// A run's per-lumisection luminosity as of `sequence`.
    public func luminosity(run: Int, asOf sequence: UInt64) throws -> LuminosityView? {
        try row(ViewKeys.luminosity(run: run), asOf: sequence).map { try LuminosityView(decoding: $0) }
    }

    /// Every row of `prefix.view` whose entity starts with `prefix.key`, as of `sequence`.
    private func rows(withPrefix prefix: ViewKey, asOf sequence: UInt64) throws -> [(key: ViewKey, value: [UInt8])] {
        var out: [(key: ViewKey, value: [UInt8])] = []
        try runtime.store.read { s in
            try s.scan(namespace: runtime.readNamespace, view: prefix.view.index, entityPrefix: prefix.key, asOf: sequence) {
                entity, _, value in
                out.append((ViewKey(view: prefix.view, key: entity), value))
                return true
            }
        }
        return out
    }

    /// A dataset's summary (the Run Registry's triplet cache) as of `sequence`, assembled from its
    /// dataset row, its per-component and per-workspace rows, and its run's OMS bit rows.
    public func summary(_ key: DatasetKey, asOf sequence: UInt64) throws -> DatasetSummaryView? {
        guard let main = try row(ViewKeys.summary(key), asOf: sequence) else { return nil }
        var parts: [(key: ViewKey, value: [UInt8])] = [(ViewKeys.summary(key), main)]
        parts += try rows(withPrefix: ViewKeys.componentSummariesPrefix(key), asOf: sequence)
        parts += try rows(withPrefix: ViewKeys.certificationsPrefix(key), asOf: sequence)
        parts += try rows(withPrefix: ViewKey(view: .oms, key: ViewKeys.luminosity(run: key.run).key), asOf: sequence)
        return try DatasetSummaryView(rows: parts)
    }

    /// A processing pass's progress in a workspace as of `sequence`, with its open items.
    public func pass(_ passKey: String, workspace: String, asOf sequence: UInt64) throws -> PassView? {
        let key = ViewKeys.pass(passKey, workspace: workspace)
        guard let main = try row(key, asOf: sequence) else { return nil }
        let items = try rows(withPrefix: ViewKeys.passItemsPrefix(passKey, workspace: workspace), asOf: sequence)
        return try PassView(rows: [(key, main)] + items)
    }

    /// The datasets that existed as of `sequence`, in key order (run, then name), at most `limit`.
    public func datasets(asOf sequence: UInt64, limit: Int = .max) throws -> [DatasetView] {
        try all(.datasets, asOf: sequence, limit: limit, DatasetView.init(decoding:))
    }

    /// The runs that existed as of `sequence`, ascending, at most `limit`.
    public func runs(asOf sequence: UInt64, limit: Int = .max) throws -> [RunView] {
        try all(.runs, asOf: sequence, limit: limit, RunView.init(decoding:))
    }

    /// Every row of `view` as of `sequence`, in key order, decoded, at most `limit`.
    private func all<Row>(
        _ view: ViewName, asOf sequence: UInt64, limit: Int, _ decode: ([UInt8]) throws -> Row
    ) throws -> [Row] {
        var out: [Row] = []
        try runtime.store.read { s in
            try s.scan(namespace: runtime.readNamespace, view: view.index, asOf: sequence) { _, _, value in
                out.append(try decode(value))
                return out.count < limit
            }
        }
        return out
    }
}

/// Typed reads inside one snapshot of the views: many reads, one transaction.
///
/// It reads a read snapshot (``ViewQueries/read(asOf:_:)``) or a write transaction (a sibling
/// projection reading the certification views as of the event it applies).
public struct ViewSnapshotReader {
    let snapshot: any ViewRowScanning
    let namespace: UInt8
    /// The version every read answers at.
    public let sequence: UInt64

    /// Creates typed reads of the certification views in `namespace` of `rows`, as of `sequence`.
    public init(rows: any ViewRowScanning, namespace: UInt8, sequence: UInt64) {
        snapshot = rows
        self.namespace = namespace
        self.sequence = sequence
    }

    private func row(_ key: ViewKey) throws -> [UInt8]? {
        try snapshot.row(namespace: namespace, view: key.view.index, entity: key.key, asOf: sequence)?.value ?? nil
    }

    private func scan(_ prefix: ViewKey, _ body: ([UInt8], [UInt8]) throws -> Void) throws {
        try snapshot.scan(namespace: namespace, view: prefix.view.index, entityPrefix: prefix.key, asOf: sequence) {
            entity, _, value in
            try body(entity, value)
            return true
        }
    }

    /// A run.
    public func run(_ run: Int) throws -> RunView? { try row(ViewKeys.run(run)).map { try RunView(decoding: $0) } }

    /// A component's flag ranges in a dataset.
    public func flags(_ key: DatasetKey, component: String) throws -> FlagRangesView? {
        try row(ViewKeys.flags(key, component: component)).map { try FlagRangesView(decoding: $0) }
    }

    /// A dataset.
    public func dataset(_ key: DatasetKey) throws -> DatasetView? {
        try row(ViewKeys.dataset(key)).map { try DatasetView(decoding: $0) }
    }

    /// A run's luminosity.
    public func luminosity(run: Int) throws -> LuminosityView? {
        try row(ViewKeys.luminosity(run: run)).map { try LuminosityView(decoding: $0) }
    }

    /// Every component's flag ranges of a dataset, by component, with one range scan.
    ///
    /// - Parameter components: decode only these components' rows (the others are skipped undecoded).
    public func allFlags(_ key: DatasetKey, only components: Set<String>? = nil) throws -> [String: FlagRangesView] {
        let prefix = ViewKeys.flagsPrefix(key)
        var out: [String: FlagRangesView] = [:]
        try scan(prefix) { entity, value in
            let component = String(decoding: entity.dropFirst(prefix.key.count), as: UTF8.self)
            if let components, !components.contains(component) { return }
            out[component] = try FlagRangesView(decoding: value)
        }
        return out
    }

    /// Every OMS bit of a run, by bit name, with one range scan.
    ///
    /// - Parameter bits: decode only these bits' rows (the others are skipped undecoded).
    public func allOMSBits(run: Int, only bits: Set<String>? = nil) throws -> [String: OMSBitView] {
        let prefix = ViewKey(view: .oms, key: ViewKeys.luminosity(run: run).key)
        var out: [String: OMSBitView] = [:]
        try scan(prefix) { entity, value in
            let bit = String(decoding: entity.dropFirst(prefix.key.count), as: UTF8.self)
            if let bits, !bits.contains(bit) { return }
            out[bit] = try OMSBitView(decoding: value)
        }
        return out
    }

    /// The keys of the datasets that existed, in key order, read from the row keys alone.
    public func datasetKeys() throws -> [DatasetKey] {
        var out: [DatasetKey] = []
        try scan(ViewKey(view: .datasets, key: [])) { entity, _ in
            guard entity.count > 4 else { return }
            let run = Int(entity[0]) << 24 | Int(entity[1]) << 16 | Int(entity[2]) << 8 | Int(entity[3])
            out.append(DatasetKey(run: run, name: String(decoding: entity.dropFirst(4), as: UTF8.self)))
        }
        return out
    }

    /// The keys of one run's datasets that existed, in name order, read from the row keys alone.
    public func datasetKeys(run: Int) throws -> [DatasetKey] {
        var out: [DatasetKey] = []
        try scan(ViewKey(view: .datasets, key: ViewKeys.luminosity(run: run).key)) { entity, _ in
            guard entity.count > 4 else { return }
            out.append(DatasetKey(run: run, name: String(decoding: entity.dropFirst(4), as: UTF8.self)))
        }
        return out
    }

    /// The datasets that existed, in key order.
    public func datasets() throws -> [DatasetView] {
        var out: [DatasetView] = []
        try scan(ViewKey(view: .datasets, key: [])) { _, value in out.append(try DatasetView(decoding: value)) }
        return out
    }
}

extension ViewQueries {
    /// Runs `body` with typed reads that all answer as of `sequence` from one snapshot.
    public func read<T>(asOf sequence: UInt64, _ body: (ViewSnapshotReader) throws -> T) throws -> T {
        try runtime.store.read { s in
            try body(ViewSnapshotReader(rows: s, namespace: runtime.readNamespace, sequence: sequence))
        }
    }
}
