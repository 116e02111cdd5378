public import Certification
public import GoldenJSON
public import LedgerCore
import LedgerStorage
import ProjectionViews
import Projections
public import Rules

/// Why one lumisection is in or out of a certification JSON: each clause's verdict and the
/// events that set every value the rule read.
public struct GoldenExplanation: Sendable {
    /// One value the rule read, and the event that set it.
    public struct Input: Sendable {
        /// The variable path, e.g. `lumisection.rr.tracker-pixel`.
        public var path: String
        /// The value read (null when absent).
        public var value: JSONValue
        /// The event that set it, when the value came from one.
        public var decidedBy: RecordedEvent?
    }

    /// The dataset.
    public var dataset: DatasetKey
    /// The lumisection.
    public var lumisection: Int
    /// The log sequence the answer is valid at.
    public var sequence: UInt64
    /// Whether the lumisection is certified.
    public var certified: Bool
    /// Each clause of a top-level `and` (or the whole rule) with its verdict.
    public var clauses: [(source: String, passed: Bool)]
    /// Every value the rule read.
    public var inputs: [Input]
}

extension GoldenGenerator {
    /// Explains lumisection `ls` of run `run` for every matching dataset of that run, as of `sequence`.
    public func explain(
        rule: CompiledRule, filter: DatasetNameFilter, run: Int, lumisection ls: Int, asOf sequence: UInt64
    ) throws -> [GoldenExplanation] {
        let log = queries.runtime.log
        var explanations: [GoldenExplanation] = []
        let keys = try queries.read(asOf: sequence) { try $0.datasetKeys() }.filter { $0.run == run && filter.matches($0.name) }
        let runEvents = try log.read { s in try s.streamEvents(StreamName.run(run).id).filter { $0.sequence <= sequence } }
        for key in keys {
            let (runView, flags, bits, luminosity, dataset) = try queries.read(asOf: sequence) { r in
                (try r.run(run), try r.allFlags(key), try r.allOMSBits(run: run), try r.luminosity(run: run), try r.dataset(key))
            }
            guard let runView, let count = runView.lumisectionCount, ls >= 1, ls <= count else {
                throw LedgerError(
                    .notFound,
                    "run \(run) has no lumisection \(ls) as of sequence \(sequence) (it has \(runView?.lumisectionCount ?? 0))")
            }
            var inputs: [GoldenExplanation.Input] = []
            var values = VariableValues(for: rule)
            for (slot, path) in rule.variablePaths.enumerated() {
                let (value, decidingSequence) = Self.value(
                    path.text, ls: ls, run: runView, dataset: dataset, key: key, flags: flags, bits: bits,
                    luminosity: luminosity, runEvents: runEvents)
                values.values[slot] = value
                let event = try decidingSequence.flatMap { seq in try log.read { try $0.event(at: seq) } }
                inputs.append(.init(path: path.text, value: value, decidedBy: event))
            }
            let certified = try rule.matches(input: values)
            let clauses: [(String, Bool)]
            if rule.clauses.isEmpty {
                clauses = [(rule.source.serialized(), certified)]
            } else {
                let results = try rule.clauseResults(input: values)
                clauses = zip(rule.clauses, results).map { ($0.source.serialized(), $1) }
            }
            explanations.append(
                GoldenExplanation(
                    dataset: key, lumisection: ls, sequence: sequence, certified: certified, clauses: clauses, inputs: inputs))
        }
        return explanations
    }

    /// The value of one path at one lumisection, and the sequence of the event that set it.
    static func value(
        _ path: String, ls: Int, run: RunView, dataset: DatasetView?, key: DatasetKey, flags: [String: FlagRangesView],
        bits: [String: OMSBitView], luminosity: LuminosityView?, runEvents: [RecordedEvent]
    ) -> (JSONValue, UInt64?) {
        let name = String(path.split(separator: ".", maxSplits: 2).last ?? "")
        switch path {
        case "lumisection.lumisection_number": return (.number(Double(ls)), nil)
        case "run.run_number": return (.number(Double(run.run)), nil)
        case "dataset.name": return (.string(key.name), nil)
        case "lumisection.oms.recorded", "lumisection.oms.delivered":
            let values = path.hasSuffix("recorded") ? luminosity?.recorded ?? [] : luminosity?.delivered ?? []
            let event = runEvents.last { if case .omsLuminositySet? = try? CertificationEvent.decode($0) { true } else { false } }
            return (ls <= values.count ? .number(values[ls - 1]) : .null, luminosity == nil ? nil : event?.sequence)
        default: break
        }
        if path.hasPrefix("lumisection.rr.") {
            guard let decision = flags[name]?.effective(at: ls)?.decision else { return (.null, nil) }
            return (.string(decision.flag.status.rawValue), decision.sequence)
        }
        if path.hasPrefix("lumisection.oms.") {
            guard let decision = bits[name]?.value(at: ls) else { return (.null, nil) }
            return (decision.value.map(JSONValue.bool) ?? .null, decision.sequence)
        }
        if path.hasPrefix("run.oms.") {
            let value = run.omsAttributes[name].map(JSONValue.init) ?? .null
            let setter = runEvents.last { e in
                switch try? CertificationEvent.decode(e) {
                case .runCreated(_, let oms, _, _)?: return oms[name] != nil
                case .runOMSAttributesSet(_, let attributes)?: return attributes[name] != nil
                default: return false
                }
            }
            return (value, setter?.sequence)
        }
        if path.hasPrefix("run.rr.") {
            let value: JSONValue
            switch name {
            case "class": value = .string(run.runClass)
            case "state": value = .string(run.state.rawValue)
            case "significant": value = .bool(run.significant)
            case "stop_reason": value = .string(run.stopReason)
            default: value = .null
            }
            let setter = runEvents.last { e in
                switch try? CertificationEvent.decode(e) {
                case .runCreated?: return true
                case .runClassSet?: return name == "class"
                case .runStateMoved?: return name == "state"
                case .runSignificanceSet?: return name == "significant"
                case .runStopReasonSet?: return name == "stop_reason"
                default: return false
                }
            }
            return (value, setter?.sequence)
        }
        if path.hasPrefix("dataset."), let dataset {
            // The dataset view does not keep per-state provenance; `runledger audit` has the history.
            if name == "global_state" { return (.string(dataset.globalState.rawValue), nil) }
            if name.hasSuffix("_state"), let state = dataset.workspaceStates[String(name.dropLast(6))] {
                return (.string(state.rawValue), nil)
            }
        }
        return (.null, nil)
    }
}
