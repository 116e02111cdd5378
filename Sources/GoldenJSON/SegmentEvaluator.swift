public import Rules

/// Everything a certification rule may read about one dataset of one run.
///
/// Names follow the Run Registry's JSON portal: `run.run_number`, `run.oms.*`, `run.rr.*`,
/// `dataset.name`, `dataset.*`, `lumisection.lumisection_number`, `lumisection.oms.*` (DCS bits,
/// recorded, delivered) and `lumisection.rr.<workspace-column>` (a status string).
public struct RunDatasetInputs: Sendable {
    /// The run number.
    public var run: Int
    /// The dataset name.
    public var datasetName: String
    /// The run's lumisection count; lumisections are 1...count.
    public var lumisectionCount: Int
    /// Values of `run.*` and `dataset.*` paths, by full path (e.g. `run.oms.energy`).
    public var constants: [String: JSONValue]
    /// Per-lumisection values of `lumisection.*` paths as constant segments; lumisections a path
    /// has no segment for read as null.
    public var segments: [String: [(range: ClosedRange<Int>, value: JSONValue)]]
    /// Recorded luminosity per lumisection (index LS − 1); missing entries count as 0.
    public var recorded: [Double]
    /// Delivered luminosity per lumisection (index LS − 1); missing entries count as 0.
    public var delivered: [Double]

    /// Creates inputs.
    public init(
        run: Int, datasetName: String, lumisectionCount: Int, constants: [String: JSONValue] = [:],
        segments: [String: [(range: ClosedRange<Int>, value: JSONValue)]] = [:], recorded: [Double] = [],
        delivered: [Double] = []
    ) {
        self.run = run
        self.datasetName = datasetName
        self.lumisectionCount = lumisectionCount
        self.constants = constants
        self.segments = segments
        self.recorded = recorded
        self.delivered = delivered
    }
}

/// What a rule decided for one dataset of one run.
public struct SegmentResult: Sendable, Equatable {
    /// Certified lumisection ranges, ascending and merged.
    public var certified: [ClosedRange<Int>] = []
    /// Lumisections the rule rejected, ascending and merged (the anti-JSON).
    public var rejected: [ClosedRange<Int>] = []
    /// Recorded luminosity of certified lumisections.
    public var recordedIn = 0.0
    /// Recorded luminosity of rejected lumisections.
    public var recordedLost = 0.0
    /// Delivered luminosity of certified lumisections.
    public var deliveredIn = 0.0
    /// Delivered luminosity of rejected lumisections.
    public var deliveredLost = 0.0
    /// For each clause of a top-level `and`: recorded luminosity where it was false.
    public var clauseFalseRecorded: [Double] = []
    /// For each clause of a top-level `and`: recorded luminosity where it alone was false.
    public var clauseAloneRecorded: [Double] = []
    /// How many constant segments the rule was evaluated on.
    public var evaluations = 0

    /// An empty result: nothing certified or rejected, no luminosity.
    public init() {}
}

/// Evaluates a certification rule once per constant segment of the attributes it reads, never
/// once per lumisection.
///
/// The segments come from the union of the range boundaries of every `lumisection.*` attribute
/// the rule reads; `run.*` and `dataset.*` values are constant over the run. A rule that reads
/// `lumisection.lumisection_number` is evaluated per lumisection, since that value changes at
/// every one.
public enum SegmentEvaluator {
    /// Applies `rule` to `inputs`; with `perLumisection`, evaluates every lumisection separately
    /// (the naive baseline the benchmark compares against; the answer is the same).
    public static func evaluate(
        _ rule: CompiledRule, _ inputs: RunDatasetInputs, perLumisection naive: Bool = false
    ) throws(RuleError) -> SegmentResult {
        var result = SegmentResult()
        result.clauseFalseRecorded = Array(repeating: 0, count: rule.clauses.count)
        result.clauseAloneRecorded = Array(repeating: 0, count: rule.clauses.count)
        let n = inputs.lumisectionCount
        guard n > 0 else { return result }
        let paths = rule.variablePaths
        // Resolve each slot once: constants are set below, per-lumisection paths keep their segments.
        let slotSegments: [[(range: ClosedRange<Int>, value: JSONValue)]?] = paths.map { path in
            guard path.text.hasPrefix("lumisection."), path.text != "lumisection.lumisection_number" else { return nil }
            return inputs.segments[path.text] ?? []
        }
        let perLumisection = paths.contains { $0.text == "lumisection.lumisection_number" }
        // Boundaries: the first lumisection of every constant piece, ascending and distinct.
        let boundaries: [Int]
        if perLumisection || naive {
            boundaries = Array(1...n)
        } else {
            var starts: [Int] = [1]
            for segments in slotSegments {
                for segment in segments ?? [] {
                    if segment.range.lowerBound >= 1 && segment.range.lowerBound <= n { starts.append(segment.range.lowerBound) }
                    if segment.range.upperBound + 1 <= n { starts.append(segment.range.upperBound + 1) }
                }
            }
            starts.sort()
            var distinct: [Int] = []
            distinct.reserveCapacity(starts.count)
            for s in starts where s != distinct.last { distinct.append(s) }
            boundaries = distinct
        }
        let recordedSums = prefixSums(inputs.recorded, n)
        let deliveredSums = prefixSums(inputs.delivered, n)
        var values = VariableValues(for: rule)
        var cursors = [Int](repeating: 0, count: paths.count)
        for (slot, path) in paths.enumerated() where slotSegments[slot] == nil {
            values.values[slot] = value(of: path.text, at: 1, inputs: inputs, cursor: &cursors[slot])
        }
        let lumisectionNumberSlots = paths.indices.filter { paths[$0].text == "lumisection.lumisection_number" }
        for (i, first) in boundaries.enumerated() {
            let last = i + 1 < boundaries.count ? boundaries[i + 1] - 1 : n
            for slot in lumisectionNumberSlots { values.values[slot] = .number(Double(first)) }
            for slot in slotSegments.indices {
                guard let segments = slotSegments[slot] else { continue }
                while cursors[slot] < segments.count && segments[cursors[slot]].range.upperBound < first { cursors[slot] += 1 }
                values.values[slot] = cursors[slot] < segments.count && segments[cursors[slot]].range.contains(first)
                    ? segments[cursors[slot]].value : .null
            }
            result.evaluations += 1
            let certified = try rule.matches(input: values)
            let recorded = recordedSums[last] - recordedSums[first - 1]
            let delivered = deliveredSums[last] - deliveredSums[first - 1]
            if certified {
                append(first...last, to: &result.certified)
                result.recordedIn += recorded
                result.deliveredIn += delivered
            } else {
                append(first...last, to: &result.rejected)
                result.recordedLost += recorded
                result.deliveredLost += delivered
                if !rule.clauses.isEmpty {
                    let clauses = try rule.clauseResults(input: values)
                    let failing = clauses.indices.filter { !clauses[$0] }
                    for c in failing { result.clauseFalseRecorded[c] += recorded }
                    if failing.count == 1 { result.clauseAloneRecorded[failing[0]] += recorded }
                }
            }
        }
        return result
    }

    /// The value of `path` at lumisection `ls`; `cursor` remembers the segment position between calls.
    static func value(of path: String, at ls: Int, inputs: RunDatasetInputs, cursor: inout Int) -> JSONValue? {
        if path == "lumisection.lumisection_number" { return .number(Double(ls)) }
        if path.hasPrefix("lumisection.") {
            guard let segments = inputs.segments[path] else { return .null }
            while cursor < segments.count && segments[cursor].range.upperBound < ls { cursor += 1 }
            if cursor < segments.count && segments[cursor].range.contains(ls) { return segments[cursor].value }
            return .null
        }
        if path == "run.run_number" { return .number(Double(inputs.run)) }
        if path == "dataset.name" { return .string(inputs.datasetName) }
        return inputs.constants[path] ?? .null
    }

    private static func prefixSums(_ values: [Double], _ n: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { sums[i + 1] = sums[i] + (i < values.count ? values[i] : 0) }
        return sums
    }

    private static func append(_ range: ClosedRange<Int>, to list: inout [ClosedRange<Int>]) {
        if let last = list.last, last.upperBound + 1 == range.lowerBound {
            list[list.count - 1] = last.lowerBound...range.upperBound
        } else {
            list.append(range)
        }
    }
}
