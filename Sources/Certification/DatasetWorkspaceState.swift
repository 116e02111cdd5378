/// The state of an offline dataset in one workspace (or globally), as the Run Registry spells it.
public enum DatasetWorkspaceState: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Created at run sign-off; waiting for the dataset to appear in the DQM GUI.
    case waitingDQMGUI = "waiting dqm gui"
    /// Open for certification in this workspace.
    case open = "OPEN"
    /// The workspace's offline classifier found the dataset not significant.
    case notSignificant = "not significant for workspace"
    /// Signed off by the workspace.
    case signOff = "SIGNOFF"
    /// Completed by the workspace.
    case completed = "COMPLETED"

    public var description: String { rawValue }

    /// The direction of a move, or nil when it is not allowed.
    ///
    /// Forward: `waiting dqm gui` → OPEN, `waiting dqm gui` → `not significant for workspace`,
    /// OPEN → SIGNOFF, SIGNOFF → COMPLETED. Back (reason required): SIGNOFF → OPEN,
    /// COMPLETED → SIGNOFF, COMPLETED → OPEN, `not significant for workspace` → OPEN.
    public static func direction(from: DatasetWorkspaceState, to: DatasetWorkspaceState) -> MoveDirection? {
        switch (from, to) {
        case (.waitingDQMGUI, .open), (.waitingDQMGUI, .notSignificant), (.open, .signOff), (.signOff, .completed):
            return .forward
        case (.signOff, .open), (.completed, .signOff), (.completed, .open), (.notSignificant, .open):
            return .backward
        default:
            return nil
        }
    }

    /// The states reachable from this one.
    public var allowedMoves: [DatasetWorkspaceState] {
        Self.allCases.filter { Self.direction(from: self, to: $0) != nil }
    }

    /// Parses a state string, naming the allowed values when it is unknown.
    static func parse(_ text: String) throws(CertificationError) -> DatasetWorkspaceState {
        guard let s = DatasetWorkspaceState(rawValue: text) else {
            throw CertificationError(
                .invalidArgument,
                "'\(text)' is not a dataset state; allowed: \(allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))")
        }
        return s
    }
}
