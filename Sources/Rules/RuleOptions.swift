/// Settings that decide how strictly a rule is checked when it is compiled.
public struct RuleOptions: Sendable {
    /// The validation regime a rule is compiled under.
    public enum Mode: Sendable, Hashable {
        /// Behave like json-logic-js: anything it accepts compiles; unknown operations fail when evaluated.
        case jsonLogic
        /// Certification rules: the top level must be an operation, every operation must be known,
        /// literal objects are refused, and every data variable must start with one of `namespaces`
        /// (e.g. `"run."`). Variables that are absent from the input still read as null.
        case certification(namespaces: [String])
    }

    /// The validation regime.
    public var mode: Mode
    /// Reject operations called with the wrong number of arguments instead of treating the
    /// missing ones as JavaScript `undefined`. Defaults to on in certification mode.
    public var strictArity: Bool
    /// Maximum nesting of arrays and objects in a rule (deeper rules are rejected).
    public var maxDepth: Int
    /// Receives the argument of every `log` operation; nil discards it.
    public var logHandler: (@Sendable (JSONValue) -> Void)?

    public init(
        mode: Mode = .jsonLogic,
        strictArity: Bool? = nil,
        maxDepth: Int = 256,
        logHandler: (@Sendable (JSONValue) -> Void)? = nil
    ) {
        self.mode = mode
        if let strictArity {
            self.strictArity = strictArity
        } else if case .certification = mode {
            self.strictArity = true
        } else {
            self.strictArity = false
        }
        self.maxDepth = maxDepth
        self.logHandler = logHandler
    }

    /// json-logic-js compatible behaviour.
    public static var jsonLogic: RuleOptions { RuleOptions() }

    /// Certification mode with the given variable namespaces (each normally ends with ".").
    public static func certification(namespaces: [String]) -> RuleOptions {
        RuleOptions(mode: .certification(namespaces: namespaces))
    }

    /// The namespaces a Run Registry rule may read: `run.`, `lumisection.` and `dataset.`.
    public static let runRegistryNamespaces = ["run.", "lumisection.", "dataset."]

    /// Certification mode for Run Registry golden-JSON rules.
    public static var runRegistry: RuleOptions { .certification(namespaces: runRegistryNamespaces) }

    /// True in certification mode.
    public var isCertification: Bool {
        if case .certification = mode { return true }
        return false
    }
}
