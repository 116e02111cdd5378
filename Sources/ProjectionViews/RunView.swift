public import Certification
public import LedgerCore

/// The `runs` view row of one run: its attributes, state, lumisection count and datasets.
///
/// Encoding (format 2): format byte ‖ run varint ‖ dataset names (count + strings, sorted by UTF-8) ‖
/// optional lumisection count (0, or 1 + zigzag) ‖ class string ‖ state byte (OPEN, SIGNOFF, COMPLETED =
/// 0…2) ‖ significant byte ‖ stop reason string ‖ created-at and updated-at (0, or 1 + zigzag
/// microseconds) ‖ last sequence varint ‖ OMS attributes as one canonical map (``CanonicalValue`` bytes,
/// keys sorted) to the end. The dataset names and the count come first so the per-event paths read
/// them without decoding the OMS attributes (``RunView/datasetNames(in:)``).
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

    static let format: UInt8 = 2

    /// The row's canonical bytes.
    public func encoded() -> [UInt8] {
        var w = RowWriter(format: Self.format, capacity: 256)
        w.varint(UInt64(run))
        w.strings(datasets.sorted(by: String.utf8Less))
        w.optionalInt(lumisectionCount)
        w.string(runClass)
        w.byte(state.index)
        w.bool(significant)
        w.string(stopReason)
        w.timestamp(createdAt)
        w.timestamp(updatedAt)
        w.varint(lastSequence)
        CanonicalValue.map(omsAttributes).encode(into: &w.w)
        return w.bytes
    }

    /// Decodes a row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
    public init(decoding bytes: [UInt8]) throws {
        self = try RowReader.decode(bytes, format: Self.format, what: "runs") { r throws(DecodingError) in
            let run = try r.nonNegative()
            let datasets = try r.strings()
            let count = try r.optionalInt()
            let runClass = try r.string()
            let at = r.r.offset
            let stateIndex = try r.byte()
            guard stateIndex < 3 else { throw DecodingError(.invalidValue, offset: at, detail: "run state") }
            let state = RunState.allCases[Int(stateIndex)]
            let significant = try r.bool()
            let stopReason = try r.string()
            guard let created = try r.timestamp(), let updated = try r.timestamp() else {
                throw DecodingError(.invalidValue, offset: r.r.offset, detail: "run times")
            }
            let last = try r.varint()
            let mapAt = r.r.offset
            guard case .map(let oms) = try CanonicalValue.decode(from: &r.r, depth: 0) else {
                throw DecodingError(.invalidValue, offset: mapAt, detail: "OMS attributes")
            }
            return RunView(
                run: run, omsAttributes: oms, runClass: runClass, state: state, significant: significant,
                stopReason: stopReason, lumisectionCount: count, datasets: datasets, createdAt: created,
                updatedAt: updated, lastSequence: last)
        }
    }

    /// The dataset names of an encoded row, read without decoding the rest.
    static func datasetNames(in bytes: [UInt8]) throws(ProjectionError) -> [String] {
        try RowReader.prefix(bytes, format: format, what: "runs") { r throws(DecodingError) in
            _ = try r.varint()
            return try r.strings()
        }
    }
}

extension RunState {
    /// The state's position in `allCases`, its byte in rows.
    var index: UInt8 {
        switch self {
        case .open: return 0
        case .signOff: return 1
        case .completed: return 2
        }
    }
}
