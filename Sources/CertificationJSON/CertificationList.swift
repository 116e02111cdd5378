import Rules

/// A certification JSON's content: for each run, the certified lumisections as sorted, merged,
/// inclusive ranges.
///
/// This is the golden-JSON format every CMS analysis reads, `{"<run>": [[first, last], ...]}`.
/// Parsing accepts what real files contain (pretty or compact layout, unsorted or split ranges);
/// ``canonicalBytes`` writes the one canonical form RunLedger uses everywhere.
public struct CertificationList: Sendable, Hashable {
    /// Runs and their ranges; ranges are sorted, non-overlapping, non-adjacent.
    public private(set) var runs: [UInt32: [ClosedRange<UInt32>]]

    /// Creates an empty list.
    public init() {
        runs = [:]
    }

    /// Creates a list from ranges per run, normalising them (sorting, merging overlaps and neighbours).
    public init(_ ranges: [UInt32: [ClosedRange<UInt32>]]) {
        runs = [:]
        for (run, list) in ranges {
            let merged = Self.normalize(list)
            if !merged.isEmpty { runs[run] = merged }
        }
    }

    /// Adds one certified range to a run.
    public mutating func insert(run: UInt32, _ range: ClosedRange<UInt32>) {
        runs[run] = Self.normalize((runs[run] ?? []) + [range])
    }

    /// The runs, ascending.
    public var sortedRuns: [UInt32] { runs.keys.sorted() }

    /// The number of certified (run, lumisection) pairs.
    public var lumisectionCount: Int {
        runs.values.reduce(0) { total, ranges in total + ranges.reduce(0) { $0 + $1.count } }
    }

    /// Whether lumisection `ls` of `run` is certified.
    public func contains(run: UInt32, lumisection ls: UInt32) -> Bool {
        guard let ranges = runs[run] else { return false }
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < ls {
                low = mid + 1
            } else if ranges[mid].lowerBound > ls {
                high = mid - 1
            } else {
                return true
            }
        }
        return false
    }

    /// Sorts ranges and merges those that overlap or touch.
    public static func normalize(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, UInt64(r.lowerBound) <= UInt64(last.upperBound) + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// The canonical bytes: compact JSON, runs ascending as decimal-string keys, ranges ascending
    /// and merged, no whitespace and no trailing newline, e.g. `{"315257":[[1,88],[91,92]]}`.
    ///
    /// Runs without certified lumisections are absent. This is byte-identical to the JSON the Run
    /// Registry's generator writes (`generated_json2018.json`).
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = [123]
        var firstRun = true
        for run in sortedRuns {
            guard let ranges = runs[run], !ranges.isEmpty else { continue }
            if !firstRun { out.append(44) }
            firstRun = false
            out.append(34)
            out.append(contentsOf: String(run).utf8)
            out.append(contentsOf: [34, 58, 91])
            for (i, r) in ranges.enumerated() {
                if i > 0 { out.append(44) }
                out.append(91)
                out.append(contentsOf: String(r.lowerBound).utf8)
                out.append(44)
                out.append(contentsOf: String(r.upperBound).utf8)
                out.append(93)
            }
            out.append(93)
        }
        out.append(125)
        return out
    }

    /// The canonical text; see ``canonicalBytes``.
    public var canonicalText: String { String(decoding: canonicalBytes, as: UTF8.self) }
}

/// A certification JSON that could not be read: the file, where, and what was wrong.
public struct CertificationJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or source name.
    public let source: String
    /// Where in the file: a run key and range index, or a line and column.
    public let location: String
    /// What was wrong and what is allowed.
    public let problem: String

    /// Creates an error.
    public init(source: String, location: String, problem: String) {
        self.source = source
        self.location = location
        self.problem = problem
    }

    public var description: String { "\(source): \(location): \(problem)" }
}

extension CertificationList {
    /// The largest run number and lumisection number accepted.
    public static let maximumNumber: Double = 4_294_967_295

    /// Parses certification JSON bytes: an object whose keys are run numbers (decimal strings) and
    /// whose values are arrays of `[first, last]` integer pairs with `1 ≤ first ≤ last`.
    ///
    /// Unsorted, split, overlapping or duplicated ranges are accepted and normalised; anything
    /// else is rejected with the run and range it concerns.
    public static func parse(_ bytes: [UInt8], source: String) throws(CertificationJSONError) -> CertificationList {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw CertificationJSONError(
                source: source, location: "line \(error.line), column \(error.column)", problem: error.message)
        }
        guard let object = value.objectValue else {
            throw CertificationJSONError(
                source: source, location: "top level",
                problem: "expected an object like {\"355100\": [[1, 50]]}, found \(value.kindName)")
        }
        var runs: [UInt32: [ClosedRange<UInt32>]] = [:]
        for (key, rangesValue) in object {
            guard !key.isEmpty, key.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let run = UInt32(key), run > 0 else {
                throw CertificationJSONError(
                    source: source, location: "key \"\(key)\"",
                    problem: "run keys must be positive decimal run numbers, e.g. \"355100\"")
            }
            guard let list = rangesValue.arrayValue else {
                throw CertificationJSONError(
                    source: source, location: "run \(run)",
                    problem: "expected an array of [first, last] pairs, found \(rangesValue.kindName)")
            }
            var parsed: [ClosedRange<UInt32>] = runs[run] ?? []
            for (index, pairValue) in list.enumerated() {
                let location = "run \(run), range \(index + 1)"
                guard let pair = pairValue.arrayValue, pair.count == 2 else {
                    throw CertificationJSONError(
                        source: source, location: location,
                        problem: "expected a [first, last] pair of lumisection numbers, found \(pairValue)")
                }
                guard let first = lumisection(pair[0]), let last = lumisection(pair[1]) else {
                    throw CertificationJSONError(
                        source: source, location: location,
                        problem: "lumisection numbers must be integers from 1 to 4294967295, found \(pairValue)")
                }
                guard first <= last else {
                    throw CertificationJSONError(
                        source: source, location: location,
                        problem: "first lumisection \(first) is after last lumisection \(last)")
                }
                parsed.append(first...last)
            }
            runs[run] = parsed
        }
        return CertificationList(runs)
    }

    private static func lumisection(_ value: JSONValue) -> UInt32? {
        guard let n = value.numberValue, n >= 1, n <= maximumNumber, n == n.rounded() else { return nil }
        return UInt32(n)
    }
}
