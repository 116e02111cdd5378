public import Certification

/// The permission check over the current set of ``Permission``s: who may do which ``Action``.
///
/// Build one whenever the permissions configuration changes (patterns are compiled here, once), then
/// ask it per request:
///
/// ```swift
/// let policy = PermissionPolicy(permissions: config.permissions.values, readsOpen: access.readsOpen)
/// switch policy.authorize(identity, Action(for: command)) { … }
/// ```
///
/// A permission's `routes` are regular expressions matched against the **whole** action text
/// (``Action/text``). The Run Registry tests its patterns unanchored against the URL, path and query,
/// so a pattern also grants every URL that merely contains a match (`/runs/move_run` matched
/// `/runs/move_run_x` and any query string naming it). Actions are a small closed vocabulary, so here a
/// pattern means exactly what it says: `run\.move` grants `run.move` and not `run.move2`, and
/// `flags\.edit:tracker-.*` grants tracker flags and nothing else. Write `.*` where a prefix is meant.
///
/// Writes are denied by default: only a permission whose e-group the caller has and whose pattern
/// matches allows one. Reads never consult permissions: they are open to anyone when `readsOpen`, and
/// need any identity otherwise.
///
/// - Important: A pattern that is not a valid regular expression never matches anything, and is
///   listed in ``warnings`` so that the server can log it; it never stops the server.
public struct PermissionPolicy: Sendable {
    /// A pattern of a permission that could not be compiled.
    public struct Warning: Sendable, Hashable, CustomStringConvertible {
        /// The permission's id.
        public let permissionID: Int
        /// The permission's e-group.
        public let egroup: String
        /// The pattern text.
        public let pattern: String
        /// What is wrong with it.
        public let problem: String

        /// `permission 7 (cms-dqm-…): pattern "run.(" never matches: …`.
        public var description: String {
            "permission \(permissionID) (\(egroup)): pattern \"\(pattern)\" never matches: \(problem)"
        }
    }

    /// The e-group of one permission and its compiled patterns.
    ///
    /// `Regex<AnyRegexOutput>` is not declared `Sendable` because its output type is not. A compiled
    /// regex is immutable, and each one is run once in `init` so that its lazily built matching program
    /// exists before the policy is shared; after that it is only read.
    private struct Grant: @unchecked Sendable {
        var egroup: String
        var patterns: [Regex<AnyRegexOutput>]

        func matches(_ text: String) -> Bool {
            patterns.contains { (try? $0.wholeMatch(in: text)) != nil }
        }
    }

    /// Whether anonymous callers may read.
    public let readsOpen: Bool
    /// The patterns that did not compile, in permission-id order.
    public let warnings: [Warning]
    private let grants: [Grant]

    /// Compiles the patterns of `permissions`.
    public init(permissions: some Sequence<Permission>, readsOpen: Bool) {
        var grants: [Grant] = []
        var warnings: [Warning] = []
        for permission in permissions.sorted(by: { $0.id < $1.id }) {
            var compiled: [Regex<AnyRegexOutput>] = []
            for pattern in permission.routes {
                do {
                    let regex = try Regex(pattern)
                    _ = try? regex.wholeMatch(in: "")
                    compiled.append(regex)
                } catch {
                    warnings.append(
                        Warning(permissionID: permission.id, egroup: permission.egroup, pattern: pattern,
                                problem: "\(error)"))
                }
            }
            grants.append(Grant(egroup: permission.egroup, patterns: compiled))
        }
        self.grants = grants
        self.warnings = warnings
        self.readsOpen = readsOpen
    }

    /// Compiles the permissions held by the permissions configuration aggregate.
    public init(configuration: ConfigAggregate, readsOpen: Bool) {
        self.init(permissions: configuration.permissions.values, readsOpen: readsOpen)
    }

    /// Decides whether `identity` (`nil`: anonymous) may do `action`.
    public func authorize(_ identity: Identity?, _ action: Action) -> AccessDecision {
        if action.verb == .read {
            return readsOpen || identity != nil ? .allowed : .authenticationRequired
        }
        guard let identity else { return .authenticationRequired }
        let text = action.text
        let matching = grants.filter { $0.matches(text) }
        if matching.contains(where: { identity.egroups.contains($0.egroup) }) { return .allowed }
        return .denied(PermissionDenial(action: action, egroupsThatMay: matching.map(\.egroup)))
    }

    /// The e-groups that may do `action`, sorted.
    public func egroups(allowedTo action: Action) -> [String] {
        Set(grants.filter { $0.matches(action.text) }.map(\.egroup)).sorted()
    }
}
