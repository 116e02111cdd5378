/// A configuration set that has its own stream.
public enum ConfigKind: String, Sendable, Hashable, CaseIterable {
    /// Class, dataset, component, offline-dataset and JSON classifiers.
    case classifiers
    /// The rules that say which offline datasets a signed-off run gets.
    case datasetsAccepted = "datasets-accepted"
    /// E-group route permissions.
    case permissions
    /// The component catalogue: workspaces, columns and certifiable components.
    case components
}

/// Rules for cycle ids, which appear in stream ids.
public enum CycleID {
    /// The rule in words, for error messages.
    public static let rule = "a cycle id is 1 to 100 letters, digits, '_', '-' or '.'"

    /// Whether `id` is a valid cycle id.
    public static func isValid(_ id: String) -> Bool { TextRules.isSimpleToken(id, maximum: 100) }
}

/// Rules for run numbers.
enum RunNumber {
    /// Checks that `run` is a positive run number.
    static func check(_ run: Int) throws(CertificationError) {
        guard run >= 1, run <= Int(Int32.max) else {
            throw CertificationError(.invalidArgument, "run number \(run) is not a positive run number")
        }
    }
}
