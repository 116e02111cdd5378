/// The certification status of one component in one lumisection, as shifters and classifiers set it.
public enum LumisectionStatus: String, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    /// Good for physics.
    case good = "GOOD"
    /// Not good for physics; needs a comment.
    case bad = "BAD"
    /// The subsystem was in standby.
    case standby = "STANDBY"
    /// Excluded from the run.
    case excluded = "EXCLUDED"
    /// Deliberately left without a verdict; counts as set at sign-off.
    case notSet = "NOTSET"

    public var description: String { rawValue }

    public static func < (a: LumisectionStatus, b: LumisectionStatus) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Parses a status string, naming the allowed values when it is unknown.
    static func parse(_ text: String) throws(CertificationError) -> LumisectionStatus {
        guard let s = LumisectionStatus(rawValue: text) else {
            throw CertificationError(
                .invalidArgument,
                "'\(text)' is not a lumisection status; allowed: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return s
    }
}
