import Certification
import LedgerCore

/// Range arithmetic on sorted, disjoint, coalesced segment arrays (the layout of ``IntervalMap``'s
/// segments), used by the views that decode straight into arrays.
///
/// Adjacent segments with equal values are always merged, so an array is the shortest description
/// of its map and equal maps have equal arrays.
enum Segments {
    typealias Segment<V: Equatable> = IntervalMap<V>.Segment

    /// A range whose bounds the caller has checked (`1 <= first <= last`).
    @inline(__always)
    static func range(_ first: Int, _ last: Int) -> LumisectionRange {
        // The callers only build sub-ranges of valid ranges, so this cannot fail.
        (try? LumisectionRange(first, last))!
    }

    /// The index of the first segment whose last lumisection is at least `ls`.
    static func firstIndex<V>(_ s: [Segment<V>], endingAtOrAfter ls: Int) -> Int {
        var lo = 0
        var hi = s.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if s[mid].range.last < ls { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The index of the first segment whose first lumisection is greater than `ls`.
    static func firstIndex<V>(_ s: [Segment<V>], startingAfter ls: Int) -> Int {
        var lo = 0
        var hi = s.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if s[mid].range.first <= ls { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The value at `ls`.
    static func value<V>(_ s: [Segment<V>], at ls: Int) -> V? {
        let i = firstIndex(s, startingAfter: ls)
        guard i > 0, s[i - 1].range.last >= ls else { return nil }
        return s[i - 1].value
    }

    /// The segments overlapping `range`, cut to it.
    static func slice<V>(_ s: [Segment<V>], in range: LumisectionRange) -> [Segment<V>] {
        let start = firstIndex(s, endingAtOrAfter: range.first)
        let end = firstIndex(s, startingAfter: range.last)
        guard start < end else { return [] }
        var out: [Segment<V>] = []
        out.reserveCapacity(end - start)
        for i in start..<end {
            let seg = s[i]
            let lo = Swift.max(seg.range.first, range.first)
            let hi = Swift.min(seg.range.last, range.last)
            out.append(Segment(range: lo == seg.range.first && hi == seg.range.last ? seg.range : Self.range(lo, hi), value: seg.value))
        }
        return out
    }

    /// The maximal sub-ranges of `range` without a value.
    static func gaps<V>(_ s: [Segment<V>], in range: LumisectionRange) -> [LumisectionRange] {
        var out: [LumisectionRange] = []
        var next = range.first
        let start = firstIndex(s, endingAtOrAfter: range.first)
        var i = start
        while i < s.count && s[i].range.first <= range.last {
            if s[i].range.first > next { out.append(Self.range(next, s[i].range.first - 1)) }
            next = s[i].range.last + 1
            i += 1
        }
        if next <= range.last { out.append(Self.range(next, range.last)) }
        return out
    }

    /// Sets `value` on `range` (nil clears it), splitting cut segments and merging equal neighbours.
    static func replace<V: Equatable>(_ s: inout [Segment<V>], _ range: LumisectionRange, with value: V?) {
        let lo = range.first
        let hi = range.last
        let start = firstIndex(s, endingAtOrAfter: lo)
        let end = firstIndex(s, startingAfter: hi)
        if start == end && value == nil { return }
        var replacement: [Segment<V>] = []
        replacement.reserveCapacity(3)
        if start < end, s[start].range.first < lo {
            replacement.append(Segment(range: Self.range(s[start].range.first, lo - 1), value: s[start].value))
        }
        if let value { replacement.append(Segment(range: range, value: value)) }
        if start < end, s[end - 1].range.last > hi {
            replacement.append(Segment(range: Self.range(hi + 1, s[end - 1].range.last), value: s[end - 1].value))
        }
        s.replaceSubrange(start..<end, with: replacement)
        var i = Swift.max(0, start - 1)
        var stop = start + replacement.count
        while i < stop && i + 1 < s.count {
            let a = s[i]
            let b = s[i + 1]
            if a.range.last + 1 == b.range.first && a.value == b.value {
                s[i].range = Self.range(a.range.first, b.range.last)
                s.remove(at: i + 1)
                stop -= 1
            } else {
                i += 1
            }
        }
    }

    /// Appends a segment that starts after every existing one, merging it with the last when equal
    /// and touching. Returns false when it does not start after the last one (a corrupt row).
    static func append<V: Equatable>(_ s: inout [Segment<V>], _ seg: Segment<V>) -> Bool {
        guard let last = s.last else {
            s.append(seg)
            return true
        }
        guard seg.range.first > last.range.last else { return false }
        if last.range.last + 1 == seg.range.first && last.value == seg.value {
            s[s.count - 1].range = range(last.range.first, seg.range.last)
        } else {
            s.append(seg)
        }
        return true
    }

    /// `top` laid over `bottom`: `top`'s value where it has one, else `bottom`'s.
    static func overlay<V: Equatable>(_ top: [Segment<V>], over bottom: [Segment<V>]) -> [Segment<V>] {
        if top.isEmpty { return bottom }
        if bottom.isEmpty { return top }
        var out = bottom
        for seg in top { replace(&out, seg.range, with: seg.value) }
        return out
    }

    /// The number of lumisections covered.
    static func covered<V>(_ s: [Segment<V>]) -> Int { s.reduce(0) { $0 + $1.range.count } }

    /// Writes segments: count, then per segment the gap since the previous one, the length − 1, then `value`.
    static func write<V>(_ s: [Segment<V>], to w: inout RowWriter, value: (inout RowWriter, V) -> Void) {
        w.count(s.count)
        var next = 1
        for seg in s {
            w.varint(UInt64(seg.range.first - next))
            w.varint(UInt64(seg.range.last - seg.range.first))
            value(&w, seg.value)
            next = seg.range.last + 1
        }
    }

    /// Reads what ``write(_:to:value:)`` wrote, rejecting overlaps and overflows.
    static func read<V: Equatable>(
        from r: inout RowReader, value: (inout RowReader) throws(DecodingError) -> V
    ) throws(DecodingError) -> [Segment<V>] {
        let n = try r.count()
        var out: [Segment<V>] = []
        out.reserveCapacity(n)
        var next = 1
        for _ in 0..<n {
            let at = r.r.offset
            let gap = try r.nonNegative()
            let length = try r.nonNegative()
            guard gap <= 1 << 40, length <= 1 << 40 else {
                throw DecodingError(.invalidValue, offset: at, detail: "segment bounds")
            }
            let first = next + gap
            let seg = Segment(range: range(first, first + length), value: try value(&r))
            guard append(&out, seg) else { throw DecodingError(.invalidValue, offset: at, detail: "segment order") }
            next = first + length + 1
        }
        return out
    }
}

