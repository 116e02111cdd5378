public import LedgerCore

/// A request to change certification state, routed to the aggregate that decides it.
public enum CertificationCommand: Sendable, Hashable {
    /// A command for a run, decided by ``RunAggregate``.
    case run(Int, RunCommand)
    /// A command for a dataset, decided by ``DatasetAggregate``.
    case dataset(DatasetKey, DatasetCommand)
    /// A command for a cycle, decided by ``CycleAggregate``.
    case cycle(String, CycleCommand)
    /// A configuration edit, decided by ``ConfigAggregate`` of the command's kind.
    case config(ConfigCommand)

    /// The stream of the aggregate that decides the command.
    public var stream: StreamName {
        switch self {
        case .run(let n, _): return .run(n)
        case .dataset(let k, _): return k.stream
        case .cycle(let id, _): return .cycle(id)
        case .config(let c): return .config(c.kind)
        }
    }
}

/// A command for one run.
public enum RunCommand: Sendable, Hashable {
    /// Creates the run (state OPEN) and its online dataset.
    case create(omsAttributes: [String: CanonicalValue], runClass: String, significant: Bool)
    /// Merges OMS attributes into the run (a refresh); only while OPEN.
    case setOMSAttributes([String: CanonicalValue])
    /// Sets the run class; only while OPEN.
    case setClass(String)
    /// Sets significance (classifiers); only while OPEN. Unchanged values give no event.
    case setSignificance(Bool)
    /// Marks the run significant (shifters); only while OPEN and when not significant yet.
    case markSignificant
    /// Sets the stop reason; only while OPEN.
    case setStopReason(String)
    /// Moves the run's state; moving back needs a reason; sign-off needs ``SignOffInputs``.
    case moveState(to: RunState, reason: String)
    /// Sets the number of lumisections; only while OPEN.
    case setLumisectionCount(Int)
    /// Adds a comment to the run, in any state.
    case addComment(String)
}

/// A command for one dataset.
public enum DatasetCommand: Sendable, Hashable {
    /// Creates an offline dataset with every given workspace `waiting dqm gui`.
    case create(workspaces: [String])
    /// Moves the dataset's state in a workspace, or `global`; moving back needs a reason.
    case moveWorkspaceState(workspace: String, to: DatasetWorkspaceState, reason: String)
    /// Records that the dataset appeared in a source (`DQM GUI`, `DBS`) with matching GUI names.
    case recordAppearance(source: String, guiDatasetNames: [String])
    /// Sets a flag on a component over a range: manual for people, automatic for automatic writers.
    case setFlags(component: String, range: LumisectionRange, flag: Flag)
    /// Releases the manual flags of a component over a range (people only).
    case releaseManualOverride(component: String, range: LumisectionRange)
    /// Sets OMS bits (nil = null) over a range; people need a comment of 3+ characters.
    case setOMSBits([String: Bool?], range: LumisectionRange, comment: String)
    /// Sets per-lumisection recorded and delivered luminosity (one value per lumisection of the range).
    case setLuminosity(range: LumisectionRange, recorded: [Double], delivered: [Double])
    /// Sets the prescale index and name over a range.
    case setPrescale(range: LumisectionRange, index: Int?, name: String?)
    /// Adds a comment to the dataset, or to a range (and optionally a component) of it.
    case addComment(String, range: LumisectionRange?, component: String?)
}

/// A command for one cycle.
public enum CycleCommand: Sendable, Hashable {
    /// Creates the cycle; every workspace and the global state start pending.
    case create(name: String, deadline: LedgerTimestamp?, workspaces: [String])
    /// Adds offline datasets (at most 1000 in all).
    case addDatasets([DatasetKey])
    /// Removes member datasets.
    case removeDatasets([DatasetKey])
    /// Sets the cycle's state in a workspace or `global`; reopening needs a reason.
    case setWorkspaceState(workspace: String, to: CycleWorkspaceState, reason: String)
}

/// An edit of one configuration set.
public enum ConfigCommand: Sendable, Hashable {
    /// Creates or replaces a classifier.
    case setClassifier(Classifier)
    /// Removes a classifier.
    case removeClassifier(kind: Classifier.Kind, id: Int)
    /// Creates or replaces a datasets-accepted rule.
    case setDatasetsAcceptedRule(DatasetsAcceptedRule)
    /// Removes a datasets-accepted rule.
    case removeDatasetsAcceptedRule(id: Int)
    /// Creates or replaces a permission.
    case setPermission(Permission)
    /// Removes a permission.
    case removePermission(id: Int)
    /// Replaces the component catalogue.
    case changeComponentCatalogue(ComponentCatalogue)

    /// The configuration set the command edits.
    public var kind: ConfigKind {
        switch self {
        case .setClassifier, .removeClassifier: return .classifiers
        case .setDatasetsAcceptedRule, .removeDatasetsAcceptedRule: return .datasetsAccepted
        case .setPermission, .removePermission: return .permissions
        case .changeComponentCatalogue: return .components
        }
    }
}
