/// The state of a cycle in one workspace (or globally): pending or completed, lowercase as in the Run Registry.
public enum CycleWorkspaceState: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Work remains.
    case pending
    /// The workspace finished the cycle.
    case completed

    public var description: String { rawValue }

    /// The direction of a move, or nil when it is not allowed (pending → completed forward, back with a reason).
    public static func direction(from: CycleWorkspaceState, to: CycleWorkspaceState) -> MoveDirection? {
        switch (from, to) {
        case (.pending, .completed): return .forward
        case (.completed, .pending): return .backward
        default: return nil
        }
    }
}
