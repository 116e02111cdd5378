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
        let prefix = ViewKeys.flags(key, component: "").key
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

    /// A dataset's summary (the Run Registry's triplet cache) as of `sequence`.
    public func summary(_ key: DatasetKey, asOf sequence: UInt64) throws -> DatasetSummaryView? {
        try row(ViewKeys.summary(key), asOf: sequence).map { try DatasetSummaryView(decoding: $0) }
    }

    /// A processing pass's progress in a workspace as of `sequence`.
    public func pass(_ passKey: String, workspace: String, asOf sequence: UInt64) throws -> PassView? {
        try row(ViewKeys.pass(passKey, workspace: workspace), asOf: sequence).map { try PassView(decoding: $0) }
    }

    /// The runs that existed as of `sequence`, ascending, at most `limit`.
    public func runs(asOf sequence: UInt64, limit: Int = .max) throws -> [RunView] {
        var out: [RunView] = []
        try runtime.store.read { s in
            try s.scan(namespace: runtime.readNamespace, view: ViewName.runs.index, asOf: sequence) { _, _, value in
                out.append(try RunView(decoding: value))
                return out.count < limit
            }
        }
        return out
    }
}
