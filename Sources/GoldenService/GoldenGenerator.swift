public import Certification
public import CertificationJSON
public import GoldenJSON
public import LedgerCore
import LedgerStorage
import ProjectionViews
public import Projections
public import Rules

/// A golden JSON computed from the projection views as of one version of the log.
public struct GoldenResult: Sendable {
    /// The certified lumisections by run: the golden JSON.
    public var certified: CertificationList
    /// The certified lumisections keyed by `<run>-<dataset>`: the same JSON per dataset.
    public var certifiedByDataset: [String: [ClosedRange<Int>]]
    /// The lumisections of matching datasets that the rule rejected: the anti-JSON.
    public var rejected: CertificationList
    /// The log sequence the result was computed at.
    public var sequence: UInt64
    /// The chain link after that sequence.
    public var link: ChainHash
    /// The datasets the filter matched.
    public var datasets: [DatasetKey]
    /// Recorded and delivered luminosity, certified and lost.
    public var recordedIn = 0.0, recordedLost = 0.0, deliveredIn = 0.0, deliveredLost = 0.0
    /// Per clause of a top-level `and`: recorded luminosity where it was false, and where it alone was.
    public var clauseFalseRecorded: [Double]
    public var clauseAloneRecorded: [Double]
    /// Rule evaluations (constant segments) performed.
    public var evaluations = 0

    /// Adds one dataset's result: its ranges to the run-keyed, dataset-keyed and anti JSONs, its
    /// luminosity and clause statistics to the totals. Datasets must be added in key order (run,
    /// then name) so that sums come out bit for bit the same however the results were obtained.
    public mutating func add(_ key: DatasetKey, _ r: SegmentResult) {
        for range in r.certified { certified.insert(run: UInt32(key.run), UInt32(range.lowerBound)...UInt32(range.upperBound)) }
        for range in r.rejected { rejected.insert(run: UInt32(key.run), UInt32(range.lowerBound)...UInt32(range.upperBound)) }
        if !r.certified.isEmpty { certifiedByDataset["\(key.run)-\(key.name)"] = r.certified }
        recordedIn += r.recordedIn
        recordedLost += r.recordedLost
        deliveredIn += r.deliveredIn
        deliveredLost += r.deliveredLost
        evaluations += r.evaluations
        for i in r.clauseFalseRecorded.indices where i < clauseFalseRecorded.count {
            clauseFalseRecorded[i] += r.clauseFalseRecorded[i]
            clauseAloneRecorded[i] += r.clauseAloneRecorded[i]
        }
    }
}

/// Generates certification JSONs from the views: evaluates a rule once per constant segment of
/// the attributes it reads, for every dataset whose name matches the filter, as of any version.
public struct GoldenGenerator: Sendable {
    /// The views to read.
    public let queries: ViewQueries

    /// Creates a generator over `queries`.
    public init(queries: ViewQueries) {
        self.queries = queries
    }

    /// Computes the golden JSON of `rule` over the datasets matching `filter`, as of `sequence`.
    ///
    /// - Parameter perLumisection: evaluate every lumisection separately (the naive baseline).
    public func generate(
        rule: CompiledRule, filter: DatasetNameFilter, asOf sequence: UInt64, perLumisection: Bool = false
    ) throws -> GoldenResult {
        let link = try queries.runtime.log.read { try $0.link(at: sequence) }
        var result = GoldenResult(
            certified: CertificationList(), certifiedByDataset: [:], rejected: CertificationList(), sequence: sequence,
            link: link, datasets: [], clauseFalseRecorded: Array(repeating: 0, count: rule.clauses.count),
            clauseAloneRecorded: Array(repeating: 0, count: rule.clauses.count))
        let evaluation = GoldenEvaluation(rule: rule, perLumisection: perLumisection)
        // One snapshot for every read; run-level rows are read once per run, not once per dataset.
        let evaluated: [(DatasetKey, SegmentResult)] = try queries.read(asOf: sequence) { reader in
            let keys = try reader.datasetKeys().filter { filter.matches($0.name) }
            result.datasets = keys
            var out: [(DatasetKey, SegmentResult)] = []
            var cachedRun: GoldenEvaluation.RunInputs? = nil
            for key in keys {
                if cachedRun?.number != key.run { cachedRun = try evaluation.runInputs(key.run, reader: reader) }
                if let r = try evaluation.evaluate(key, run: cachedRun!, reader: reader) { out.append((key, r)) }
            }
            return out
        }
        for (key, r) in evaluated { result.add(key, r) }
        return result
    }

    /// Maximal runs of equal values as 1-based segments.
    static func constantSegments(_ values: [JSONValue]) -> [(range: ClosedRange<Int>, value: JSONValue)] {
        var out: [(range: ClosedRange<Int>, value: JSONValue)] = []
        var start = 0
        while start < values.count {
            var end = start
            while end + 1 < values.count && values[end + 1] == values[start] { end += 1 }
            out.append(((start + 1)...(end + 1), values[start]))
            start = end + 1
        }
        return out
    }
}

extension JSONValue {
    /// Converts a payload value for rule evaluation (integers become JSON numbers).
    init(_ value: CanonicalValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .bytes(let b): self = .string(b.map { String($0) }.joined(separator: ","))
        case .array(let items): self = .array(items.map(JSONValue.init))
        case .map(let m): self = .object(JSONObject(m.keys.sorted().map { ($0, JSONValue(m[$0]!)) }))
        }
    }
}
