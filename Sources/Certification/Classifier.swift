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
