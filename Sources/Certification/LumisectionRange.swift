/// A 1-based, inclusive range of lumisection numbers, validated so that `1 <= first <= last`.
public struct LumisectionRange: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The first lumisection, at least 1.
    public let first: Int
    /// The last lumisection, at least `first`.
    public let last: Int

    /// Creates a range, rejecting `first < 1` and `first > last`.
    public init(_ first: Int, _ last: Int) throws(CertificationError) {
        guard first >= 1 else {
            throw CertificationError(.invalidArgument, "lumisection numbers start at 1; got range \(first)–\(last)")
        }
        guard first <= last else {
            throw CertificationError(
                .invalidArgument, "a lumisection range needs first <= last; got \(first)–\(last)")
        }
        self.first = first
        self.last = last
    }

    /// Creates a range of one lumisection.
    public init(single ls: Int) throws(CertificationError) {
        try self.init(ls, ls)
    }

    /// Creates a range whose bounds the caller has already checked.
    init(unchecked first: Int, _ last: Int) {
        assert(first >= 1 && first <= last)
        self.first = first
        self.last = last
    }

    /// The number of lumisections in the range.
    public var count: Int { last - first + 1 }

    /// Whether `ls` lies in the range.
    public func contains(_ ls: Int) -> Bool { ls >= first && ls <= last }

    /// Whether the two ranges share a lumisection.
    public func overlaps(_ other: LumisectionRange) -> Bool { first <= other.last && other.first <= last }

    /// The lumisections of both ranges, or nil when they do not overlap.
    public func intersection(_ other: LumisectionRange) -> LumisectionRange? {
        let lo = Swift.max(first, other.first)
        let hi = Swift.min(last, other.last)
        return lo <= hi ? LumisectionRange(unchecked: lo, hi) : nil
    }

    /// The range as a closed Swift range.
    public var closedRange: ClosedRange<Int> { first...last }

    public static func < (a: LumisectionRange, b: LumisectionRange) -> Bool {
        (a.first, a.last) < (b.first, b.last)
    }

    /// `LS 10` or `LS 10–20`.
    public var description: String { first == last ? "LS \(first)" : "LS \(first)–\(last)" }

    /// Checks that the range lies within a run of `lumisectionCount` lumisections.
    func check(within lumisectionCount: Int?, run: Int) throws(CertificationError) {
        guard let count = lumisectionCount, count > 0 else {
            throw CertificationError(
                .lumisectionOutOfRange,
                "run \(run) has no lumisection count yet, so \(self) cannot be checked; set the lumisection count first")
        }
        guard last <= count else {
            throw CertificationError(
                .lumisectionOutOfRange,
                "\(self) is outside run \(run), which has lumisections 1–\(count)")
        }
    }
}
