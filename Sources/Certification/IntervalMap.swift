/// A coalesced map from lumisection numbers to values, stored as sorted, disjoint segments.
///
/// Setting a value on a range splits the segments it cuts and merges equal neighbours, so two
/// adjacent segments never hold equal values and the segment list is the shortest description of
/// the map. Lookups use binary search; an update costs O(log n) to find its place plus the shift
/// of the array tail.
///
/// ```swift
/// var map = IntervalMap<LumisectionStatus>()
/// map.set(.good, over: try LumisectionRange(1, 100))
/// map.set(.bad, over: try LumisectionRange(40, 50))
/// map.value(at: 45)   // .bad
/// map.segments.count  // 3
/// ```
public struct IntervalMap<Value: Equatable> {
    /// One maximal run of lumisections with the same value.
    public struct Segment {
        /// The lumisections of the segment.
        public var range: LumisectionRange
        /// The value of every lumisection in the segment.
        public var value: Value

        /// Creates a segment.
        public init(range: LumisectionRange, value: Value) {
            self.range = range
            self.value = value
        }
    }

    /// The segments in ascending order; disjoint, and adjacent ones hold different values.
    public private(set) var segments: [Segment]

    /// Creates an empty map.
    public init() {
        segments = []
    }

    /// Whether no lumisection has a value.
    public var isEmpty: Bool { segments.isEmpty }

    /// The number of lumisections that have a value.
    public var coveredCount: Int { segments.reduce(0) { $0 + $1.range.count } }

    /// The value at lumisection `ls`, or nil when it has none.
    public func value(at ls: Int) -> Value? {
        let i = firstIndex(startingAfter: ls)
        guard i > 0 else { return nil }
        let s = segments[i - 1]
        return s.range.last >= ls ? s.value : nil
    }

    /// Sets `value` on every lumisection of `range`.
    public mutating func set(_ value: Value, over range: LumisectionRange) {
        replace(range, with: value)
    }

    /// Removes the value of every lumisection of `range`.
    public mutating func clear(_ range: LumisectionRange) {
        replace(range, with: nil)
    }

    /// The segments that overlap `range`, cut to it.
    public func segments(in range: LumisectionRange) -> [Segment] {
        let start = firstIndex(endingAtOrAfter: range.first)
        let end = firstIndex(startingAfter: range.last)
        guard start < end else { return [] }
        var out: [Segment] = []
        out.reserveCapacity(end - start)
        for s in segments[start..<end] {
            if let cut = s.range.intersection(range) { out.append(Segment(range: cut, value: s.value)) }
        }
        return out
    }

    /// The maximal sub-ranges of `range` that have no value.
    public func gaps(in range: LumisectionRange) -> [LumisectionRange] {
        var out: [LumisectionRange] = []
        var next = range.first
        for s in segments(in: range) {
            if s.range.first > next { out.append(LumisectionRange(unchecked: next, s.range.first - 1)) }
            next = s.range.last + 1
        }
        if next <= range.last { out.append(LumisectionRange(unchecked: next, range.last)) }
        return out
    }

    /// Whether any lumisection of `range` has a value.
    public func hasValue(in range: LumisectionRange) -> Bool {
        firstIndex(endingAtOrAfter: range.first) < firstIndex(startingAfter: range.last)
    }

    /// A map with `transform` applied to every value; equal results are merged.
    public func mapValues<T: Equatable>(_ transform: (Value) throws -> T) rethrows -> IntervalMap<T> {
        var out = IntervalMap<T>()
        for s in segments { out.appendCoalescing(IntervalMap<T>.Segment(range: s.range, value: try transform(s.value))) }
        return out
    }

    // MARK: - Internals

    /// The index of the first segment whose last lumisection is at least `ls`.
    func firstIndex(endingAtOrAfter ls: Int) -> Int {
        var lo = 0
        var hi = segments.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if segments[mid].range.last < ls { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The index of the first segment whose first lumisection is greater than `ls`.
    func firstIndex(startingAfter ls: Int) -> Int {
        var lo = 0
        var hi = segments.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if segments[mid].range.first <= ls { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Appends a segment that starts after every existing one, merging it with the last when equal.
    mutating func appendCoalescing(_ segment: Segment) {
        if let last = segments.last, last.range.last + 1 == segment.range.first, last.value == segment.value {
            segments[segments.count - 1].range = LumisectionRange(unchecked: last.range.first, segment.range.last)
        } else {
            segments.append(segment)
        }
    }

    private mutating func replace(_ range: LumisectionRange, with value: Value?) {
        let lo = range.first
        let hi = range.last
        let start = firstIndex(endingAtOrAfter: lo)
        let end = firstIndex(startingAfter: hi)
        var replacement: [Segment] = []
        replacement.reserveCapacity(3)
        if start < end, segments[start].range.first < lo {
            let s = segments[start]
            replacement.append(Segment(range: LumisectionRange(unchecked: s.range.first, lo - 1), value: s.value))
        }
        if let value { replacement.append(Segment(range: range, value: value)) }
        if start < end, segments[end - 1].range.last > hi {
            let s = segments[end - 1]
            replacement.append(Segment(range: LumisectionRange(unchecked: hi + 1, s.range.last), value: s.value))
        }
        if start == end && replacement.isEmpty { return }
        segments.replaceSubrange(start..<end, with: replacement)
        // Merge equal, touching neighbours around the replaced window.
        var i = Swift.max(0, start - 1)
        var stop = start + replacement.count
        while i < stop && i + 1 < segments.count {
            let a = segments[i]
            let b = segments[i + 1]
            if a.range.last + 1 == b.range.first && a.value == b.value {
                segments[i].range = LumisectionRange(unchecked: a.range.first, b.range.last)
                segments.remove(at: i + 1)
                stop -= 1
            } else {
                i += 1
            }
        }
    }
}

extension IntervalMap: Sequence {
    /// Iterates the segments in ascending order.
    public func makeIterator() -> IndexingIterator<[Segment]> { segments.makeIterator() }
}

extension IntervalMap: Equatable {
    public static func == (a: IntervalMap, b: IntervalMap) -> Bool {
        a.segments.count == b.segments.count
            && zip(a.segments, b.segments).allSatisfy { $0.range == $1.range && $0.value == $1.value }
    }
}

extension IntervalMap: Hashable where Value: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(segments.count)
        for s in segments {
            hasher.combine(s.range)
            hasher.combine(s.value)
        }
    }
}

extension IntervalMap: Sendable where Value: Sendable {}
extension IntervalMap.Segment: Sendable where Value: Sendable {}
extension IntervalMap.Segment: Equatable {}
extension IntervalMap.Segment: Hashable where Value: Hashable {}
