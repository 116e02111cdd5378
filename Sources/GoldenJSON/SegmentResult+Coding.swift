/// The binary row form of a ``SegmentResult``: what a maintained certification-JSON projection
/// stores per (run, dataset).
///
/// Layout (integers little-endian): format byte 1; certified range count (u32), then each range's
/// first and last lumisection (u32 each); the same for rejected ranges; recorded in, recorded lost,
/// delivered in, delivered lost (IEEE 754 bit patterns, u64 each); clause count (u32), then each
/// clause's flagged-false and flagged-false-alone recorded luminosity (u64 bit patterns). Doubles are
/// stored bit for bit, so sums read back from rows equal the ones computed on demand. The count of
/// rule evaluations is not stored: it says how the row was computed, not what it holds.
extension SegmentResult {
    /// The row bytes.
    public func encodedRow() -> [UInt8] {
        var out: [UInt8] = [1]
        out.reserveCapacity(1 + 8 + 8 * (certified.count + rejected.count) + 32 + 4 + 16 * clauseFalseRecorded.count)
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { out.append(contentsOf: $0) } }
        func f64(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        for list in [certified, rejected] {
            u32(list.count)
            for r in list {
                u32(r.lowerBound)
                u32(r.upperBound)
            }
        }
        f64(recordedIn)
        f64(recordedLost)
        f64(deliveredIn)
        f64(deliveredLost)
        u32(clauseFalseRecorded.count)
        for i in clauseFalseRecorded.indices {
            f64(clauseFalseRecorded[i])
            f64(i < clauseAloneRecorded.count ? clauseAloneRecorded[i] : 0)
        }
        return out
    }

    /// Reads row bytes back; nil when they are not a row of this format.
    public init?(row bytes: [UInt8]) {
        var at = 1
        guard bytes.first == 1 else { return nil }
        func u32() -> Int? {
            guard at + 4 <= bytes.count else { return nil }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(bytes[at + i]) << (8 * UInt32(i)) }
            at += 4
            return Int(v)
        }
        func f64() -> Double? {
            guard at + 8 <= bytes.count else { return nil }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
            at += 8
            return Double(bitPattern: v)
        }
        func ranges() -> [ClosedRange<Int>]? {
            guard let n = u32(), n <= (bytes.count - at) / 8 else { return nil }
            var out: [ClosedRange<Int>] = []
            out.reserveCapacity(n)
            for _ in 0..<n {
                guard let a = u32(), let b = u32(), a <= b else { return nil }
                out.append(a...b)
            }
            return out
        }
        self.init()
        guard let c = ranges(), let r = ranges(), let ri = f64(), let rl = f64(), let di = f64(), let dl = f64(),
            let clauses = u32(), clauses <= (bytes.count - at) / 16
        else { return nil }
        certified = c
        rejected = r
        recordedIn = ri
        recordedLost = rl
        deliveredIn = di
        deliveredLost = dl
        clauseFalseRecorded.reserveCapacity(clauses)
        clauseAloneRecorded.reserveCapacity(clauses)
        for _ in 0..<clauses {
            guard let f = f64(), let a = f64() else { return nil }
            clauseFalseRecorded.append(f)
            clauseAloneRecorded.append(a)
        }
        guard at == bytes.count else { return nil }
    }
}
