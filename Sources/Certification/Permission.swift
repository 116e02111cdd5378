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
