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
