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
    /// A run's inputs that every dataset of the run shares, resolved once per run: its row, its
    /// luminosity, the `run.*` constants and the `lumisection.oms.*` segments the rule reads.
    public struct RunInputs {
        /// The run number.
        public var number: Int
        /// The run row.
        public var view: RunView?
        /// The run's luminosity.
        public var luminosity: LuminosityView?
        var constants: [String: JSONValue] = [:]
        var segments: [String: [(range: ClosedRange<Int>, value: JSONValue)]] = [:]
    }

    /// The rule.
    public let rule: CompiledRule
    /// Evaluate every lumisection separately (the naive baseline).
    public let perLumisection: Bool
    /// `run.oms.<attribute>` paths the rule reads, with their attribute.
    private let runAttributePaths: [(path: String, attribute: String)]
    /// `lumisection.rr.<component>` paths the rule reads, with their component.
    private let flagPaths: [(path: String, component: String)]
    /// `lumisection.oms.<bit>` paths the rule reads, with their bit.
    private let bitPaths: [(path: String, bit: String)]
    /// `lumisection.oms.recorded` / `lumisection.oms.delivered`, when read (true for recorded).
    private let luminosityPaths: [(path: String, recorded: Bool)]
    private let readsDataset: Bool
    private let flagComponents: Set<String>
    private let bitNames: Set<String>

    /// Creates the evaluation of `rule`.
    public init(rule: CompiledRule, perLumisection: Bool = false) {
        self.rule = rule
        self.perLumisection = perLumisection
        let paths = rule.variables
        runAttributePaths = paths.filter { $0.hasPrefix("run.oms.") }.map { ($0, String($0.dropFirst(8))) }
        var flags: [(String, String)] = []
        var bits: [(String, String)] = []
        var luminosity: [(String, Bool)] = []
        for path in paths where path.hasPrefix("lumisection.") {
            let name = String(path.split(separator: ".", maxSplits: 2).last ?? "")
            if path.hasPrefix("lumisection.rr.") {
                flags.append((path, name))
            } else if path == "lumisection.oms.recorded" || path == "lumisection.oms.delivered" {
                luminosity.append((path, path.hasSuffix("recorded")))
            } else if path.hasPrefix("lumisection.oms.") {
                bits.append((path, name))
            }
        }
        flagPaths = flags
        bitPaths = bits
        luminosityPaths = luminosity
        readsDataset = paths.contains { $0.hasPrefix("dataset.") && $0 != "dataset.name" }
        flagComponents = Set(flags.map(\.1))
        bitNames = Set(bits.map(\.1))
    }

    /// Reads a run's shared rows and resolves the inputs they give.
    public func runInputs(_ run: Int, reader: ViewSnapshotReader) throws -> RunInputs {
        var inputs = RunInputs(number: run, view: try reader.run(run), luminosity: try reader.luminosity(run: run))
        guard let view = inputs.view else { return inputs }
        for (path, attribute) in runAttributePaths {
            if let v = view.omsAttributes[attribute] { inputs.constants[path] = JSONValue(v) }
        }
        inputs.constants["run.rr.class"] = .string(view.runClass)
        inputs.constants["run.rr.state"] = .string(view.state.rawValue)
        inputs.constants["run.rr.significant"] = .bool(view.significant)
        inputs.constants["run.rr.stop_reason"] = .string(view.stopReason)
        for (path, recorded) in luminosityPaths {
            let values = (recorded ? inputs.luminosity?.recorded : inputs.luminosity?.delivered) ?? []
            inputs.segments[path] = GoldenGenerator.constantSegments(values.map { JSONValue.number($0) })
        }
        if !bitPaths.isEmpty {
            let bits = try reader.allOMSBits(run: run, only: bitNames)
            for (path, bit) in bitPaths {
                inputs.segments[path] = (bits[bit]?.segments ?? []).map {
                    (range: $0.range.first...$0.range.last, value: $0.value.value.map(JSONValue.bool) ?? .null)
                }
            }
        }
        return inputs
    }

    /// The rule's result for dataset `key`, or nil when its run has no lumisections (yet).
    public func evaluate(_ key: DatasetKey, run runInfo: RunInputs, reader: ViewSnapshotReader) throws -> SegmentResult? {
        guard let run = runInfo.view, let count = run.lumisectionCount, count > 0 else { return nil }
        var inputs = RunDatasetInputs(
            run: key.run, datasetName: key.name, lumisectionCount: count, constants: runInfo.constants,
            segments: runInfo.segments, recorded: runInfo.luminosity?.recorded ?? [],
            delivered: runInfo.luminosity?.delivered ?? [])
        if readsDataset, let dataset = try reader.dataset(key) {
            inputs.constants["dataset.global_state"] = .string(dataset.globalState.rawValue)
            for (ws, state) in dataset.workspaceStates { inputs.constants["dataset.\(ws)_state"] = .string(state.rawValue) }
        }
        if !flagPaths.isEmpty {
            let flags = try reader.allFlags(key, only: flagComponents)
            for (path, component) in flagPaths {
                inputs.segments[path] = (flags[component]?.effectiveRanges ?? []).map {
                    (range: $0.range.first...$0.range.last, value: JSONValue.string($0.value.flag.status.rawValue))
                }
            }
        }
        return try SegmentEvaluator.evaluate(rule, inputs, perLumisection: perLumisection)
    }
}
