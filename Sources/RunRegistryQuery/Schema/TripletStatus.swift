/// A lumisection status that `triplet_summary.<component>.<STATUS>` keys may count.
public enum TripletStatus: String, Sendable, Hashable, CaseIterable {
    /// Certified good.
    case good = "GOOD"
    /// Certified bad.
    case bad = "BAD"
    /// In standby.
    case standby = "STANDBY"
    /// Excluded from certification.
    case excluded = "EXCLUDED"
    /// Not yet set.
    case notSet = "NOTSET"
    /// No data for the lumisection or component.
    case empty = "EMPTY"

    /// The six status names in declaration order, for messages.
    static let allNames: String = allCases.map(\.rawValue).joined(separator: ", ")
}
