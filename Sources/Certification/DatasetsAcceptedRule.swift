/// A datasets-accepted rule: which offline dataset a signed-off run of a class gets, and which DQM GUI names match it.
public struct DatasetsAcceptedRule: Sendable, Hashable {
    /// The rule id.
    public var id: Int
    /// The offline dataset name to create, e.g. `/PromptReco/Collisions2024A/DQM`.
    public var name: String
    /// Newline-separated regular expressions (JavaScript syntax, kept as text) tested against DQM GUI names.
    public var regexp: String
    /// The run class this rule applies to, e.g. `Collisions24`.
    public var runClass: String
    /// The first run the rule applies to; nil means no lower bound.
    public var runFrom: Int?
    /// The last run the rule applies to; nil means no upper bound.
    public var runTo: Int?
    /// Whether the rule is in force.
    public var enabled: Bool

    /// Creates a rule.
    public init(
        id: Int, name: String, regexp: String, runClass: String, runFrom: Int?, runTo: Int?, enabled: Bool = true
    ) {
        self.id = id
        self.name = name
        self.regexp = regexp
        self.runClass = runClass
        self.runFrom = runFrom
        self.runTo = runTo
        self.enabled = enabled
    }

    /// Whether a run of `runClass` numbered `run` gets this rule's dataset at sign-off:
    /// the rule is enabled, its class equals the run's class, and `run_from <= run <= run_to`.
    public func selects(run: Int, runClass: String) -> Bool {
        enabled && self.runClass == runClass && (runFrom.map { $0 <= run } ?? true) && (runTo.map { run <= $0 } ?? true)
    }

    /// The regular expressions, one per non-blank line.
    public var patterns: [String] {
        regexp.split(separator: "\n").map { String($0).trimmedForValidation }.filter { !$0.isEmpty }
    }

    /// Checks the rule's values.
    func validate() throws(CertificationError) {
        guard id >= 0 else { throw CertificationError(.invalidArgument, "datasets-accepted rule id \(id) is negative") }
        let pass = try ProcessingPass(datasetName: name)
        guard pass.kind != .online else {
            throw CertificationError(.invalidArgument, "datasets-accepted rule \(id) cannot create the online dataset")
        }
        guard !runClass.trimmedForValidation.isEmpty else {
            throw CertificationError(.invalidArgument, "datasets-accepted rule \(id) for \(name) needs a run class")
        }
        if let from = runFrom, let to = runTo, from > to {
            throw CertificationError(
                .invalidArgument, "datasets-accepted rule \(id) for \(name) has run_from \(from) after run_to \(to)")
        }
        guard !patterns.isEmpty else {
            throw CertificationError(
                .invalidArgument, "datasets-accepted rule \(id) for \(name) needs at least one regular expression")
        }
    }
}

/// A JSON-logic classifier definition as stored in configuration (the Rules module evaluates it).
public struct Classifier: Sendable, Hashable {
    /// What a classifier decides.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The run class (lowest priority number wins).
        case runClass = "class"
        /// Whether a run of a class is significant.
        case dataset
        /// A component's status per lumisection.
        case component
        /// Whether an offline dataset is significant for a workspace.
        case offlineDataset = "offline_dataset"
        /// A named preset for the JSON portal.
        case json = "json_classifier"
    }

    /// The classifier id, unique within its kind.
    public var id: Int
    /// What it decides.
    public var kind: Kind
    /// What it applies to: the class (class, dataset), the component key (component), the workspace
    /// (offline_dataset) or the preset name (json_classifier).
    public var target: String
    /// The status a component classifier gives; nil for other kinds.
    public var status: LumisectionStatus?
    /// The JSON-logic rule as JSON text.
    public var logic: String
    /// The priority (lower wins), for class and component classifiers.
    public var priority: Int?
    /// Whether the classifier is in force.
    public var enabled: Bool

    /// Creates a classifier.
    public init(
        id: Int, kind: Kind, target: String, status: LumisectionStatus? = nil, logic: String, priority: Int? = nil,
        enabled: Bool = true
    ) {
        self.id = id
        self.kind = kind
        self.target = target
        self.status = status
        self.logic = logic
        self.priority = priority
        self.enabled = enabled
    }

    /// Checks the classifier's values.
    func validate() throws(CertificationError) {
        let what = "\(kind.rawValue) classifier \(id)"
        guard id >= 0 else { throw CertificationError(.invalidArgument, "\(what) has a negative id") }
        guard !target.trimmedForValidation.isEmpty else {
            throw CertificationError(.invalidArgument, "\(what) needs a target (class, component, workspace or name)")
        }
        guard !logic.trimmedForValidation.isEmpty else {
            throw CertificationError(.invalidArgument, "\(what) needs a JSON-logic rule")
        }
        if kind == .component {
            try ComponentKey.check(target)
            guard status != nil else {
                throw CertificationError(.invalidArgument, "\(what) for \(target) needs the status it gives")
            }
        }
    }
}

/// A permission: an e-group and the route patterns its members may use.
public struct Permission: Sendable, Hashable {
    /// The permission id.
    public var id: Int
    /// The CERN e-group, e.g. `cms-dqm-runregistry-offline-gem-certifiers`.
    public var egroup: String
    /// Route regular expressions (text).
    public var routes: [String]

    /// Creates a permission.
    public init(id: Int, egroup: String, routes: [String]) {
        self.id = id
        self.egroup = egroup
        self.routes = routes
    }

    /// Checks the permission's values.
    func validate() throws(CertificationError) {
        guard id >= 0 else { throw CertificationError(.invalidArgument, "permission id \(id) is negative") }
        guard !egroup.trimmedForValidation.isEmpty, !egroup.containsControlCharacters else {
            throw CertificationError(.invalidArgument, "permission \(id) needs an e-group name")
        }
        guard !routes.isEmpty, routes.allSatisfy({ !$0.isEmpty }) else {
            throw CertificationError(.invalidArgument, "permission \(id) for \(egroup) needs non-empty route patterns")
        }
    }
}
