public import Certification
import LedgerCore

/// The `luminosity` view row of one run: recorded and delivered luminosity per lumisection, and their sums.
///
/// The arrays are indexed by LS − 1 and grow as `OMSLuminositySet` events reach further; lumisections
/// never set hold 0.
///
/// Encoding (format 1), fixed-width so range sums can be read without decoding the arrays:
/// format byte ‖ last sequence u64 BE ‖ n u32 BE ‖ recorded sum f64 ‖ delivered sum f64 ‖
/// recorded[n] f64 ‖ delivered[n] f64 ‖ recorded prefix sums[n] f64 (prefix[i] = recorded[0] + … + recorded[i],
/// derived, so a range sum is two reads). Doubles are IEEE 754 bits, big-endian, -0.0 written as 0.0.
public struct LuminosityView: Sendable, Equatable {
    /// The recorded luminosity per lumisection (index LS − 1).
    public var recorded: [Double]
    /// The delivered luminosity per lumisection (index LS − 1).
    public var delivered: [Double]
    /// The sequence of the event that last changed this row.
    public var lastSequence: UInt64

    /// Creates a row.
    public init(recorded: [Double] = [], delivered: [Double] = [], lastSequence: UInt64 = 0) {
        self.recorded = recorded
        self.delivered = delivered
        self.lastSequence = lastSequence
    }

    /// The sum of ``recorded``, in LS order.
    public var recordedSum: Double { recorded.reduce(0, +) }
    /// The sum of ``delivered``, in LS order.
    public var deliveredSum: Double { delivered.reduce(0, +) }

    /// Sets the values of `range` (one per lumisection), growing the arrays with zeros as needed.
    public mutating func set(recorded r: [Double], delivered d: [Double], over range: LumisectionRange) {
        let n = Swift.max(recorded.count, delivered.count, range.last)
        if recorded.count < n { recorded.append(contentsOf: repeatElement(0, count: n - recorded.count)) }
        if delivered.count < n { delivered.append(contentsOf: repeatElement(0, count: n - delivered.count)) }
        for (i, ls) in range.closedRange.enumerated() {
            recorded[ls - 1] = i < r.count ? r[i] : 0
            delivered[ls - 1] = i < d.count ? d[i] : 0
        }
    }

    static let format: UInt8 = 1
    static let headerSize = 1 + 8 + 4 + 8 + 8

    /// The row's canonical bytes.
    public func encoded() -> [UInt8] {
        let n = Swift.max(recorded.count, delivered.count)
        var w = RowWriter(format: Self.format, capacity: Self.headerSize + 24 * n)
        w.uint64BE(lastSequence)
        w.uint32BE(UInt32(truncatingIfNeeded: n))
        w.double(recordedSum)
        w.double(deliveredSum)
        for i in 0..<n { w.double(i < recorded.count ? recorded[i] : 0) }
        for i in 0..<n { w.double(i < delivered.count ? delivered[i] : 0) }
        var prefix = 0.0
        for i in 0..<n {
            prefix += i < recorded.count ? recorded[i] : 0
            w.double(prefix)
        }
        return w.bytes
    }

    /// Decodes a row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
    public init(decoding bytes: [UInt8]) throws {
        self = try RowReader.decode(bytes, format: Self.format, what: "luminosity") { r throws(DecodingError) in
            let last = try r.uint64BE()
            let n = Int(try r.uint32BE())
            guard r.r.remaining == 16 + 24 * n else {
                throw DecodingError(.lengthOutOfBounds, offset: r.r.offset, detail: "luminosity arrays")
            }
            _ = try r.double()
            _ = try r.double()
            var rec: [Double] = []
            var del: [Double] = []
            rec.reserveCapacity(n)
            del.reserveCapacity(n)
            for _ in 0..<n { rec.append(try r.double()) }
            for _ in 0..<n { del.append(try r.double()) }
            for _ in 0..<n { _ = try r.double() }
            return LuminosityView(recorded: rec, delivered: del, lastSequence: last)
        }
    }

    /// Sums read straight from a row's bytes, without decoding its arrays.
    struct Sums {
        let bytes: [UInt8]
        let count: Int

        init(_ bytes: [UInt8]) throws(ProjectionError) {
            guard bytes.count >= LuminosityView.headerSize, bytes[0] == LuminosityView.format else {
                throw ProjectionError(.corruptRow, "a luminosity row is too short or has an unknown format")
            }
            let n = Int(bytes[9]) << 24 | Int(bytes[10]) << 16 | Int(bytes[11]) << 8 | Int(bytes[12])
            guard bytes.count == LuminosityView.headerSize + 24 * n else {
                throw ProjectionError(.corruptRow, "a luminosity row's length does not match its \(n) lumisections")
            }
            self.bytes = bytes
            self.count = n
        }

        private func double(at offset: Int) -> Double {
            var v: UInt64 = 0
            for i in 0..<8 { v = v << 8 | UInt64(bytes[offset + i]) }
            return Double(bitPattern: v)
        }

        /// The sum of recorded luminosity over all lumisections.
        var recordedTotal: Double { double(at: 13) }
        /// The sum of delivered luminosity over all lumisections.
        var deliveredTotal: Double { double(at: 21) }

        /// The recorded prefix sum through LS `ls` (1-based), 0 for `ls` < 1.
        private func prefix(through ls: Int) -> Double {
            guard ls >= 1 else { return 0 }
            let i = Swift.min(ls, count) - 1
            return i < 0 ? 0 : double(at: LuminosityView.headerSize + 16 * count + 8 * i)
        }

        /// The recorded luminosity summed over `range` (lumisections past the arrays count 0).
        func recorded(in range: LumisectionRange) -> Double {
            guard range.first <= count else { return 0 }
            let hi = Swift.min(range.last, count)
            if range.first == hi {
                return double(at: LuminosityView.headerSize + 8 * (hi - 1))
            }
            return prefix(through: hi) - prefix(through: range.first - 1)
        }
    }
}
