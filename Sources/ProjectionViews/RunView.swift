public import Certification
public import LedgerCore

/// The `runs` view row of one run: its attributes, state, lumisection count and datasets.
///
/// Encoding (format 1): format byte ‖ run varint ‖ OMS attributes as one canonical map
/// (``CanonicalValue`` bytes, keys sorted) ‖ class string ‖ state string ‖ significant byte ‖
/// stop reason string ‖ optional lumisection count (0, or 1 + zigzag) ‖ dataset names (count + strings,
/// sorted by UTF-8) ‖ created-at and updated-at (0, or 1 + zigzag microseconds) ‖ last sequence varint.
public struct RunView: Sendable, Equatable {
    /// The run number.
    public var run: Int
    /// The OMS attributes (open-ended), merged shallowly as refreshes arrive.
    public var omsAttributes: [String: CanonicalValue]
    /// The run class, `""` until classified.
    public var runClass: String
    /// The run state.
    public var state: RunState
    /// Whether the run is significant.
    public var significant: Bool
    /// The stop reason.
    public var stopReason: String
    /// The number of lumisections, nil until set.
    public var lumisectionCount: Int?
    /// The names of the run's datasets (`online` and offline ones), sorted by UTF-8 bytes.
    public var datasets: [String]
    /// When the run was created (the `RunCreated` event's recorded-at time).
    public var createdAt: LedgerTimestamp
    /// When an event last changed this row.
    public var updatedAt: LedgerTimestamp
    /// The sequence of the event that last changed this row.
    public var lastSequence: UInt64

    /// Creates a run row.
    public init(
        run: Int, omsAttributes: [String: CanonicalValue], runClass: String, state: RunState, significant: Bool,
        stopReason: String, lumisectionCount: Int?, datasets: [String], createdAt: LedgerTimestamp,
        updatedAt: LedgerTimestamp, lastSequence: UInt64
    ) {
        self.run = run
        self.omsAttributes = omsAttributes
        self.runClass = runClass
        self.state = state
        self.significant = significant
        self.stopReason = stopReason
        self.lumisectionCount = lumisectionCount
        self.datasets = datasets
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastSequence = lastSequence
    }

    static let format: UInt8 = 1

    /// The row's canonical bytes.
    public func encoded() -> [UInt8] {
        var w = RowWriter(format: Self.format, capacity: 256)
        w.varint(UInt64(run))
        CanonicalValue.map(omsAttributes).encode(into: &w.w)
        w.string(runClass)
        w.string(state.rawValue)
        w.bool(significant)
        w.string(stopReason)
        w.optionalInt(lumisectionCount)
        w.strings(datasets.sorted(by: String.utf8Less))
        w.timestamp(createdAt)
        w.timestamp(updatedAt)
        w.varint(lastSequence)
        return w.bytes
    }

    /// Decodes a row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
    public init(decoding bytes: [UInt8]) throws {
        self = try RowReader.decode(bytes, format: Self.format, what: "runs") { r throws(DecodingError) in
            let run = try r.nonNegative()
            let at = r.r.offset
            guard case .map(let oms) = try CanonicalValue.decode(from: &r.r, depth: 0) else {
                throw DecodingError(.invalidValue, offset: at, detail: "OMS attributes")
            }
            let runClass = try r.string()
            let state = try r.raw(RunState.self)
            let significant = try r.bool()
            let stopReason = try r.string()
            let count = try r.optionalInt()
            let datasets = try r.strings()
            guard let created = try r.timestamp(), let updated = try r.timestamp() else {
                throw DecodingError(.invalidValue, offset: r.r.offset, detail: "run times")
            }
            return RunView(
                run: run, omsAttributes: oms, runClass: runClass, state: state, significant: significant,
                stopReason: stopReason, lumisectionCount: count, datasets: datasets, createdAt: created,
                updatedAt: updated, lastSequence: try r.varint())
        }
    }
}
