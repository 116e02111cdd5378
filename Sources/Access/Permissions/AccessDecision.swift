/// The outcome of an access check: allowed, authentication required, or denied by the permissions.
///
/// The HTTP layer maps ``authenticationRequired`` to 401, and ``denied(_:)`` to 403 on the native API
/// and to 401 `{"message": …}` on the Run Registry-compatible routes, as the runregistry client expects.
public enum AccessDecision: Sendable, Hashable {
    /// The action may go ahead.
    case allowed
    /// The caller is anonymous and the action needs an identity.
    case authenticationRequired
    /// The caller is known but no e-group of theirs allows the action.
    case denied(PermissionDenial)

    /// Whether the action may go ahead.
    public var isAllowed: Bool { self == .allowed }
}
