public import Certification
public import LedgerCore

/// A flag and the sequence of the event that decided it: the value of a ``FlagRangesView`` segment.
public struct FlagDecision: Sendable, Hashable {
    /// The flag (status, comment, cause).
    public var flag: Flag
    /// The sequence of the `LumisectionFlagsSet` event that set it.
    public var sequence: UInt64

    /// Creates a decision.
    public init(flag: Flag, sequence: UInt64) {
        self.flag = flag
        self.sequence = sequence
    }
}

/// The `flags` view row of one dataset component: its automatic and manual flag layers.
///
/// Each layer is a coalesced list of segments (sorted, disjoint; touching segments differ). A segment's
/// value is a ``FlagDecision``, so two touching ranges merge only when both the flag and the deciding
/// event are the same, and every lumisection's provenance stays exact. The effective flag is the
/// manual one where present, else the automatic one (design/events.md, override semantics).
///
/// ```swift
/// let view = try FlagRangesView(decoding: bytes)
/// view.effective(at: 120)      // (decision, .manual)
/// view.effectiveRanges         // the coalesced effective segments
/// ```
///
/// Encoding (format 1): format byte ‖ last sequence varint ‖ string table (count + strings, in order
/// of first use: automatic then manual segments, comment before cause) ‖ automatic segments ‖ manual
/// segments. A segment list is a count, then per segment: gap since the previous segment's end
/// varint ‖ length − 1 varint ‖ status byte (GOOD, BAD, STANDBY, EXCLUDED, NOTSET = 0…4) ‖ comment
/// index varint ‖ cause index varint ‖ sequence varint.
public struct FlagRangesView: Sendable, Equatable {
    /// A segment of a layer.
    public typealias Segment = IntervalMap<FlagDecision>.Segment

    /// Flags from automatic writers, coalesced.
    public var automatic: [Segment]
    /// Flags from people, coalesced; they override ``automatic``.
    public var manual: [Segment]
    /// The sequence of the event that last changed this row.
    public var lastSequence: UInt64

    /// Creates a row.
    public init(automatic: [Segment] = [], manual: [Segment] = [], lastSequence: UInt64 = 0) {
        self.automatic = automatic
        self.manual = manual
        self.lastSequence = lastSequence
    }

    /// The effective segments: manual where present, else automatic; coalesced.
    ///
    /// - Complexity: O((a + m) log a) for a automatic and m manual segments.
    public var effectiveRanges: [Segment] { Segments.overlay(manual, over: automatic) }

    /// The effective segments that overlap `range`, cut to it.
    public func effectiveRanges(in range: LumisectionRange) -> [Segment] {
        Segments.overlay(Segments.slice(manual, in: range), over: Segments.slice(automatic, in: range))
    }

    /// The effective decision at `ls` and the layer it comes from.
    public func effective(at ls: Int) -> (decision: FlagDecision, source: FlagLayers.Source)? {
        if let m = Segments.value(manual, at: ls) { return (m, .manual) }
        if let a = Segments.value(automatic, at: ls) { return (a, .automatic) }
        return nil
    }

    /// Whether neither layer has a flag.
    public var isEmpty: Bool { automatic.isEmpty && manual.isEmpty }

    /// Sets a decision on `range` of the layer `actorKind` writes (people write the manual layer).
    public mutating func set(_ decision: FlagDecision, over range: LumisectionRange, actorKind: ActorKind) {
        switch actorKind {
        case .human: Segments.replace(&manual, range, with: decision)
        case .automatic: Segments.replace(&automatic, range, with: decision)
        }
    }

    /// Clears the manual layer on `range`, so the automatic flags show again.
    public mutating func releaseOverride(over range: LumisectionRange) {
        Segments.replace(&manual, range, with: nil)
    }

    static let format: UInt8 = 1

    /// The row's canonical bytes.
    public func encoded() -> [UInt8] {
        var table: [String] = []
        func index(_ s: String) -> Int {
            if let i = table.firstIndex(of: s) { return i }
            table.append(s)
            return table.count - 1
        }
        var indexes: [Int] = []
        indexes.reserveCapacity(2 * (automatic.count + manual.count))
        for seg in automatic {
            indexes.append(index(seg.value.flag.comment))
            indexes.append(index(seg.value.flag.cause))
        }
        for seg in manual {
            indexes.append(index(seg.value.flag.comment))
            indexes.append(index(seg.value.flag.cause))
        }
        var w = RowWriter(format: Self.format, capacity: 32 + 12 * (automatic.count + manual.count))
        w.varint(lastSequence)
        w.strings(table)
        var k = 0
        let value: (inout RowWriter, FlagDecision) -> Void = { w, d in
            w.byte(UInt8(d.flag.status.index))
            w.count(indexes[k])
            w.count(indexes[k + 1])
            w.varint(d.sequence)
            k += 2
        }
        Segments.write(automatic, to: &w, value: value)
        Segments.write(manual, to: &w, value: value)
        return w.bytes
    }

    /// Decodes a row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
    public init(decoding bytes: [UInt8]) throws {
        self = try Self.decode(bytes)
    }

    static func decode(_ bytes: [UInt8]) throws(ProjectionError) -> FlagRangesView {
        try RowReader.decode(bytes, format: format, what: "flags") { r throws(DecodingError) in
            let last = try r.varint()
            let table = try r.strings()
            let value = { (r: inout RowReader) throws(DecodingError) -> FlagDecision in
                let status = try r.status()
                let at = r.r.offset
                let c = try r.nonNegative()
                let k = try r.nonNegative()
                guard c < table.count, k < table.count else {
                    throw DecodingError(.invalidValue, offset: at, detail: "string index")
                }
                return FlagDecision(flag: Flag(status, comment: table[c], cause: table[k]), sequence: try r.varint())
            }
            let automatic = try Segments.read(from: &r, value: value)
            let manual = try Segments.read(from: &r, value: value)
            return FlagRangesView(automatic: automatic, manual: manual, lastSequence: last)
        }
    }
}
