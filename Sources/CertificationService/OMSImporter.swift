public import Certification
import Foundation
public import LedgerCore
import LedgerStorage
import Rules

/// Imports OMS run attributes and per-lumisection facts (DCS bits, luminosity, prescales) from
/// RunLedger's OMS NDJSON format (design/oms-import.md).
///
/// The whole file is parsed and checked before anything is planned, so a malformed line appends
/// nothing. Runs that do not exist are created OPEN and not significant; existing runs get their
/// OMS attributes refreshed. Each DCS bit becomes one event per constant range.
public struct OMSImporter: Sendable {
    /// One run's facts, parsed from its lines.
    public struct RunFacts: Sendable {
        /// The run number.
        public var run: Int
        /// The lumisection count.
        public var lumisections: Int
        /// OMS run attributes.
        public var attributes: [String: CanonicalValue]
        /// First lumisection of the column arrays (1 when present).
        public var firstLS: Int = 1
        /// DCS bits per lumisection, index 0 = `firstLS`.
        public var bits: [String: [Bool?]] = [:]
        /// Recorded luminosity per lumisection (null read as 0).
        public var recorded: [Double] = []
        /// Delivered luminosity per lumisection (null read as 0).
        public var delivered: [Double] = []
        /// The 1-based line of the run in the file.
        public var line: Int
    }

    /// What an import wrote.
    public struct Summary: Sendable, Hashable {
        /// Runs in the file.
        public var runs = 0
        /// Runs created.
        public var runsCreated = 0
        /// Lumisections with per-LS facts.
        public var lumisections = 0
        /// Events planned.
        public var events = 0

        /// Creates an empty summary.
        public init() {}
    }

    /// The runs, in file order.
    public private(set) var runs: [RunFacts] = []

    /// Parses and checks NDJSON bytes; errors name the source, the line and the problem.
    public init(ndjson bytes: [UInt8], source: String) throws(CertificationError) {
        var lineNumber = 0
        var start = 0
        var index: [Int: Int] = [:]
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            lineNumber += 1
            let line = Array(bytes[start..<end])
            start = end + 1
            if line.allSatisfy({ $0 == 32 || $0 == 13 || $0 == 9 }) { continue }
            func fail(_ problem: String) -> CertificationError {
                CertificationError(.invalidArgument, "\(source):\(lineNumber): \(problem)")
            }
            let value: JSONValue
            do {
                value = try JSONValue.parse(line)
            } catch {
                throw fail("not valid JSON (column \(error.column)): \(error.message)")
            }
            guard let kind = value["kind"]?.stringValue else { throw fail("missing \"kind\" (\"run\" or \"lumisections\")") }
            guard let runNumber = Self.integer(value["run_number"]), runNumber >= 1 else {
                throw fail("\"run_number\" must be a positive integer")
            }
            switch kind {
            case "run":
                guard index[runNumber] == nil else { throw fail("run \(runNumber) appears twice") }
                guard let count = Self.integer(value["lumisections"]), count >= 0 else {
                    throw fail("run \(runNumber): \"lumisections\" must be an integer ≥ 0")
                }
                guard let attributes = value["attributes"]?.objectValue else {
                    throw fail("run \(runNumber): \"attributes\" must be an object")
                }
                var converted: [String: CanonicalValue] = [:]
                for (k, v) in attributes { converted[k] = Self.canonical(v) }
                index[runNumber] = runs.count
                runs.append(RunFacts(run: runNumber, lumisections: count, attributes: converted, line: lineNumber))
            case "lumisections":
                guard let position = index[runNumber] else {
                    throw fail("lumisections of run \(runNumber) come before its \"run\" line")
                }
                guard let first = Self.integer(value["first_ls"]), let last = Self.integer(value["last_ls"]), first >= 1,
                    first <= last
                else { throw fail("run \(runNumber): \"first_ls\" and \"last_ls\" must be integers with 1 ≤ first ≤ last") }
                let n = last - first + 1
                guard last <= runs[position].lumisections || runs[position].lumisections == 0 else {
                    throw fail("run \(runNumber): last_ls \(last) exceeds the run's \(runs[position].lumisections) lumisections")
                }
                var facts = runs[position]
                facts.lumisections = max(facts.lumisections, last)
                facts.firstLS = first
                if let bits = value["bits"]?.objectValue {
                    for (name, column) in bits {
                        guard let array = column.arrayValue, array.count == n else {
                            throw fail("run \(runNumber): bits.\(name) has \(column.arrayValue?.count ?? 0) entries, expected \(n) (first_ls \(first), last_ls \(last))")
                        }
                        var values: [Bool?] = []
                        values.reserveCapacity(n)
                        for (i, v) in array.enumerated() {
                            if v.isNull {
                                values.append(nil)
                            } else if let b = v.boolValue {
                                values.append(b)
                            } else {
                                throw fail("run \(runNumber): bits.\(name)[\(i)] (LS \(first + i)) must be true, false or null")
                            }
                        }
                        facts.bits[name] = values
                    }
                }
                for (field, keyPath) in [("recorded", \RunFacts.recorded), ("delivered", \RunFacts.delivered)] {
                    guard let column = value[field] else { continue }
                    guard let array = column.arrayValue, array.count == n else {
                        throw fail("run \(runNumber): \(field) has \(column.arrayValue?.count ?? 0) entries, expected \(n)")
                    }
                    var numbers: [Double] = []
                    numbers.reserveCapacity(n)
                    for (i, v) in array.enumerated() {
                        if v.isNull {
                            numbers.append(0)
                        } else if let d = v.numberValue, d.isFinite, d >= 0 {
                            numbers.append(d)
                        } else {
                            throw fail("run \(runNumber): \(field)[\(i)] (LS \(first + i)) must be a number ≥ 0 or null")
                        }
                    }
                    facts[keyPath: keyPath] = numbers
                }
                runs[position] = facts
            default:
                throw fail("unknown kind \"\(kind)\"; expected \"run\" or \"lumisections\"")
            }
        }
    }

    /// Plans the commands for `runs` (or a slice of them) in `session`.
    public func plan(_ slice: ArraySlice<RunFacts>, into session: inout CommandSession) throws -> Summary {
        var summary = Summary()
        for facts in slice {
            summary.runs += 1
            let existing = try session.run(facts.run)
            if !existing.exists {
                try session.execute(
                    .run(facts.run, .create(omsAttributes: facts.attributes, runClass: "", significant: false)))
                summary.runsCreated += 1
            } else {
                try session.execute(.run(facts.run, .setOMSAttributes(facts.attributes)))
            }
            if facts.lumisections > (try session.run(facts.run).lumisectionCount ?? 0) {
                try session.execute(.run(facts.run, .setLumisectionCount(facts.lumisections)))
            }
            let online = DatasetKey.online(run: facts.run)
            for name in facts.bits.keys.sorted() {
                for (range, value) in Self.constantRanges(facts.bits[name]!, first: facts.firstLS) {
                    try session.execute(
                        .dataset(online, .setOMSBits([name: value], range: try LumisectionRange(range.lowerBound, range.upperBound), comment: "")))
                }
            }
            if !facts.recorded.isEmpty || !facts.delivered.isEmpty {
                let n = max(facts.recorded.count, facts.delivered.count)
                let recorded = facts.recorded.isEmpty ? Array(repeating: 0, count: n) : facts.recorded
                let delivered = facts.delivered.isEmpty ? Array(repeating: 0, count: n) : facts.delivered
                try session.execute(
                    .dataset(
                        online,
                        .setLuminosity(
                            range: try LumisectionRange(facts.firstLS, facts.firstLS + n - 1), recorded: recorded,
                            delivered: delivered)))
                summary.lumisections += n
            }
        }
        summary.events = session.pending.count
        return summary
    }

    /// Maximal runs of equal values: (first...last LS, value).
    static func constantRanges(_ values: [Bool?], first: Int) -> [(ClosedRange<Int>, Bool?)] {
        var out: [(ClosedRange<Int>, Bool?)] = []
        var start = 0
        while start < values.count {
            var end = start
            while end + 1 < values.count && values[end + 1] == values[start] { end += 1 }
            out.append(((first + start)...(first + end), values[start]))
            start = end + 1
        }
        return out
    }

    static func integer(_ value: JSONValue?) -> Int? {
        guard let d = value?.numberValue, d == d.rounded(), abs(d) < 9e15 else { return nil }
        return Int(d)
    }

    /// Converts parsed JSON to a payload value: integral numbers become integers.
    static func canonical(_ value: JSONValue) -> CanonicalValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d):
            if d == d.rounded(), abs(d) < 9e15 { return .int(Int64(d)) }
            return d.isFinite ? .double(d) : .null
        case .string(let s): return .string(s)
        case .array(let items): return .array(items.map(canonical))
        case .object(let o):
            var m: [String: CanonicalValue] = [:]
            for (k, v) in o { m[k] = canonical(v) }
            return .map(m)
        }
    }
}
