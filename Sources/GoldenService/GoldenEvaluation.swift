public import Certification
public import GoldenJSON
import LedgerCore
public import ProjectionViews
public import Projections
public import Rules

/// The evaluation of one rule over one dataset of the views: reads the inputs the rule needs
/// (``RunDatasetInputs``) through typed view reads at one version, and runs ``SegmentEvaluator``.
///
/// The on-demand generator and the maintained certification-JSON projections both use it, so
/// both compute every row the same way.
public struct GoldenEvaluation: Sendable {
    /// A run's rows that every dataset of the run reads.
    public struct RunInputs {
        /// The run number.
        public var number: Int
        /// The run row.
        public var view: RunView?
        /// The run's luminosity.
        public var luminosity: LuminosityView?
        /// The run's OMS bits (read only when the rule reads some).
        public var bits: [String: OMSBitView]
    }

    /// The rule.
    public let rule: CompiledRule
    /// Evaluate every lumisection separately (the naive baseline).
    public let perLumisection: Bool
    private let paths: [String]
    private let readsFlags: Bool
    private let readsBits: Bool

    /// Creates the evaluation of `rule`.
    public init(rule: CompiledRule, perLumisection: Bool = false) {
        self.rule = rule
        self.perLumisection = perLumisection
        paths = rule.variables
        readsFlags = paths.contains { $0.hasPrefix("lumisection.rr.") }
        readsBits = paths.contains { $0.hasPrefix("lumisection.oms.") }
    }

    /// Reads a run's shared rows.
    public func runInputs(_ run: Int, reader: ViewSnapshotReader) throws -> RunInputs {
        RunInputs(
            number: run, view: try reader.run(run), luminosity: try reader.luminosity(run: run),
            bits: readsBits ? try reader.allOMSBits(run: run) : [:])
    }

    /// The rule's result for dataset `key`, or nil when its run has no lumisections (yet).
    public func evaluate(_ key: DatasetKey, run runInfo: RunInputs, reader: ViewSnapshotReader) throws -> SegmentResult? {
        guard let run = runInfo.view, let count = run.lumisectionCount, count > 0 else { return nil }
        let dataset = try reader.dataset(key)
        var inputs = RunDatasetInputs(run: key.run, datasetName: key.name, lumisectionCount: count)
        for path in paths where path.hasPrefix("run.oms.") {
            if let v = run.omsAttributes[String(path.dropFirst(8))] { inputs.constants[path] = JSONValue(v) }
        }
        inputs.constants["run.rr.class"] = .string(run.runClass)
        inputs.constants["run.rr.state"] = .string(run.state.rawValue)
        inputs.constants["run.rr.significant"] = .bool(run.significant)
        inputs.constants["run.rr.stop_reason"] = .string(run.stopReason)
        if let dataset {
            inputs.constants["dataset.global_state"] = .string(dataset.globalState.rawValue)
            for (ws, state) in dataset.workspaceStates { inputs.constants["dataset.\(ws)_state"] = .string(state.rawValue) }
        }
        inputs.recorded = runInfo.luminosity?.recorded ?? []
        inputs.delivered = runInfo.luminosity?.delivered ?? []
        let flags = readsFlags ? try reader.allFlags(key) : [:]
        for path in paths where path.hasPrefix("lumisection.") {
            let name = String(path.split(separator: ".", maxSplits: 2).last ?? "")
            if path.hasPrefix("lumisection.rr.") {
                inputs.segments[path] = (flags[name]?.effectiveRanges ?? []).map {
                    (range: $0.range.first...$0.range.last, value: JSONValue.string($0.value.flag.status.rawValue))
                }
            } else if path == "lumisection.oms.recorded" || path == "lumisection.oms.delivered" {
                let values = path.hasSuffix("recorded") ? inputs.recorded : inputs.delivered
                inputs.segments[path] = GoldenGenerator.constantSegments(values.map { JSONValue.number($0) })
            } else if path.hasPrefix("lumisection.oms.") {
                inputs.segments[path] = (runInfo.bits[name]?.segments ?? []).map {
                    (range: $0.range.first...$0.range.last, value: $0.value.value.map(JSONValue.bool) ?? .null)
                }
            }
        }
        return try SegmentEvaluator.evaluate(rule, inputs, perLumisection: perLumisection)
    }
}
