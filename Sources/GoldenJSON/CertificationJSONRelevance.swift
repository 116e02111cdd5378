public import Certification
public import Rules

/// Which datasets an event can change the output of a certification-JSON definition for: the
/// pure half of keeping a definition's rows current.
///
/// An event matters only through the inputs the rule reads (``RunDatasetInputs``) and the
/// luminosity and lumisection count every row carries. So a flag on a component the rule does not
/// read, a comment, a prescale, a cycle or a configuration change touches nothing and costs no
/// evaluation. A run-level event (lumisection count, run attributes the rule reads, the run's
/// luminosity, an online OMS bit the rule reads, since offline datasets read their run's online
/// bits) touches every dataset of the run; a dataset-level event touches that dataset.
///
/// ```swift
/// let relevance = CertificationJSONRelevance(rule: definition.rule)
/// guard relevance.mayMatter(eventType: event.type) else { continue }   // skip without decoding
/// switch relevance.touch(try CertificationEvent.decode(event)) { ... }
/// ```
public struct CertificationJSONRelevance: Sendable {
    /// What an event touches.
    public enum Touch: Sendable, Hashable {
        /// Nothing the definition reads.
        case nothing
        /// One dataset.
        case dataset(DatasetKey)
        /// Every dataset of a run.
        case run(Int)
    }

    private let everything: Bool
    private let paths: Set<String>
    private let readsFlags: Bool
    private let readsBits: Bool
    private let readsRunAttributes: Bool
    private let readsDatasetAttributes: Bool
    /// The event types that can touch something; others are skipped without decoding.
    public let eventTypes: Set<String>

    /// The relevance of `rule`'s reads. A rule with computed variable paths may read anything, so
    /// then every input-changing event counts.
    public init(rule: CompiledRule) {
        everything = rule.hasDynamicVariables
        paths = Set(rule.variables)
        readsFlags = everything || paths.contains { $0.hasPrefix("lumisection.rr.") }
        readsBits = everything || paths.contains {
            $0.hasPrefix("lumisection.oms.") && $0 != "lumisection.oms.recorded" && $0 != "lumisection.oms.delivered"
        }
        readsRunAttributes = everything || paths.contains { $0.hasPrefix("run.oms.") }
        readsDatasetAttributes = everything || paths.contains { $0.hasPrefix("dataset.") && $0 != "dataset.name" }
        var types: Set<String> = ["RunCreated", "RunLumisectionCountSet", "DatasetCreated", "OMSLuminositySet"]
        if readsRunAttributes { types.insert("RunOMSAttributesSet") }
        if everything || paths.contains("run.rr.class") { types.insert("RunClassSet") }
        if everything || paths.contains("run.rr.significant") { types.insert("RunSignificanceSet") }
        if everything || paths.contains("run.rr.stop_reason") { types.insert("RunStopReasonSet") }
        if everything || paths.contains("run.rr.state") { types.insert("RunStateMoved") }
        if readsDatasetAttributes { types.formUnion(["DatasetWorkspaceStateMoved", "DatasetGlobalStateMoved"]) }
        if readsFlags { types.formUnion(["LumisectionFlagsSet", "ManualOverrideReleased"]) }
        if readsBits { types.insert("OMSLumisectionBitsSet") }
        eventTypes = types
    }

    /// Whether an event of this type can touch anything (checked before decoding).
    public func mayMatter(eventType: String) -> Bool { eventTypes.contains(eventType) }

    /// What `event` touches.
    public func touch(_ event: CertificationEvent) -> Touch {
        switch event {
        case .runCreated(let run, _, _, _), .runLumisectionCountSet(let run, _):
            return .run(run)
        case .runOMSAttributesSet(let run, let attributes):
            return everything || attributes.keys.contains { paths.contains("run.oms." + $0) } ? .run(run) : .nothing
        case .runClassSet(let run, _):
            return reads("run.rr.class") ? .run(run) : .nothing
        case .runSignificanceSet(let run, _):
            return reads("run.rr.significant") ? .run(run) : .nothing
        case .runStopReasonSet(let run, _):
            return reads("run.rr.stop_reason") ? .run(run) : .nothing
        case .runStateMoved(let run, _, _, _):
            return reads("run.rr.state") ? .run(run) : .nothing
        case .datasetCreated(let key, _, _, _):
            return .dataset(key)
        case .datasetWorkspaceStateMoved(let key, _, _, _, _), .datasetGlobalStateMoved(let key, _, _, _):
            return readsDatasetAttributes ? .dataset(key) : .nothing
        case .lumisectionFlagsSet(let key, let component, _, _, _), .manualOverrideReleased(let key, let component, _):
            return reads("lumisection.rr." + component) ? .dataset(key) : .nothing
        case .omsLumisectionBitsSet(let key, _, let bits, _):
            // The views keep only the online dataset's bits; every dataset of the run reads them.
            guard key.isOnline else { return .nothing }
            return everything || bits.keys.contains { paths.contains("lumisection.oms." + $0) } ? .run(key.run) : .nothing
        case .omsLuminositySet(let key, _, _, _):
            return .run(key.run)
        case .datasetAppearedIn, .prescaleSet, .commentAdded, .cycleCreated, .cycleDatasetsAdded, .cycleDatasetsRemoved,
            .cycleWorkspaceStateSet, .classifierSet, .classifierRemoved, .datasetsAcceptedRuleSet,
            .datasetsAcceptedRuleRemoved, .permissionSet, .permissionRemoved, .componentCatalogueChanged:
            return .nothing
        }
    }

    private func reads(_ path: String) -> Bool { everything || paths.contains(path) }
}
