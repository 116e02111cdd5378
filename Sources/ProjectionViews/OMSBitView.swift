public import Certification
import LedgerCore

/// An OMS bit value (true, false or null) and the sequence of the event that set it.
public struct BitDecision: Sendable, Hashable {
    /// The bit's value; nil is OMS's null.
    public var value: Bool?
    /// The sequence of the `OMSLumisectionBitsSet` event that set it.
    public var sequence: UInt64

    /// Creates a decision.
    public init(value: Bool?, sequence: UInt64) {
        self.value = value
        self.sequence = sequence
    }
}

/// LS counts of an OMS (DCS) bit by value: the `dcs_summary` entry of one bit.
public struct BitCounts: Sendable, Hashable {
    /// Lumisections where the bit is true.
    public var trueCount: Int
    /// Lumisections where the bit is false.
    public var falseCount: Int
    /// Lumisections where the bit is null.
    public var nullCount: Int

    /// Creates counts.
    public init(trueCount: Int = 0, falseCount: Int = 0, nullCount: Int = 0) {
        self.trueCount = trueCount
        self.falseCount = falseCount
        self.nullCount = nullCount
    }

    /// Lumisections with any value.
    public var total: Int { trueCount + falseCount + nullCount }
}

/// The `oms` view row of one OMS bit of a run, from `OMSLumisectionBitsSet` events on the online dataset.
///
/// Encoding (format 1): format byte ‖ last sequence varint ‖ segments (count, then per segment: gap
/// since the previous end varint ‖ length − 1 varint ‖ value byte (0 false, 1 true, 2 null) ‖
/// sequence varint).
public struct OMSBitView: Sendable, Equatable {
    /// A segment of the bit's map.
    public typealias Segment = IntervalMap<BitDecision>.Segment

    /// The bit's values, coalesced (touching segments differ in value or sequence).
    public var segments: [Segment]
    /// The sequence of the event that last changed this row.
    public var lastSequence: UInt64

    /// Creates a row.
    public init(segments: [Segment] = [], lastSequence: UInt64 = 0) {
        self.segments = segments
        self.lastSequence = lastSequence
    }

    /// The value at `ls`: nil when unset, `.some(nil)` when null.
    public func value(at ls: Int) -> BitDecision? { Segments.value(segments, at: ls) }

    /// Sets `decision` on `range`.
    public mutating func set(_ decision: BitDecision, over range: LumisectionRange) {
        Segments.replace(&segments, range, with: decision)
    }

    /// The LS counts by value, from the segments.
    ///
    /// - Complexity: O(segments).
    public var counts: BitCounts {
        var c = BitCounts()
        for s in segments {
            switch s.value.value {
            case .some(true): c.trueCount += s.range.count
            case .some(false): c.falseCount += s.range.count
            case .none: c.nullCount += s.range.count
            }
        }
        return c
    }

    static let format: UInt8 = 1

    /// The row's canonical bytes.
    public func encoded() -> [UInt8] {
        var w = RowWriter(format: Self.format, capacity: 16 + 8 * segments.count)
        w.varint(lastSequence)
        Segments.write(segments, to: &w) { w, d in
            w.byte(d.value.map { $0 ? 1 : 0 } ?? 2)
            w.varint(d.sequence)
        }
        return w.bytes
    }

    /// Decodes a row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
    public init(decoding bytes: [UInt8]) throws {
        self = try RowReader.decode(bytes, format: Self.format, what: "oms") { r throws(DecodingError) in
            let last = try r.varint()
            let segments = try Segments.read(from: &r) { r throws(DecodingError) in
                let at = r.r.offset
                let value: Bool?
                switch try r.byte() {
                case 0: value = false
                case 1: value = true
                case 2: value = nil
                default: throw DecodingError(.invalidValue, offset: at, detail: "bit value")
                }
                return BitDecision(value: value, sequence: try r.varint())
            }
            return OMSBitView(segments: segments, lastSequence: last)
        }
    }
}
