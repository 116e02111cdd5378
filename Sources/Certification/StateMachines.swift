/// The direction of an allowed state move: forward, or back to an earlier state (which needs a reason).
public enum MoveDirection: String, Sendable, Hashable {
    /// A move on along the certification path.
    case forward
    /// A move back to an earlier state; it needs a reason.
    case backward
}

/// The state of a run: OPEN while shifters edit it, SIGNOFF, then COMPLETED.
public enum RunState: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Being certified online; the only state in which the run can be edited.
    case open = "OPEN"
    /// Signed off by the online shifter; offline datasets exist.
    case signOff = "SIGNOFF"
    /// Completed.
    case completed = "COMPLETED"

    public var description: String { rawValue }

    /// The direction of a move, or nil when it is not allowed.
    ///
    /// OPEN → SIGNOFF → COMPLETED go forward; SIGNOFF → OPEN, COMPLETED → SIGNOFF and COMPLETED → OPEN go back.
    /// OPEN → COMPLETED is not allowed: a run is signed off first.
    public static func direction(from: RunState, to: RunState) -> MoveDirection? {
        switch (from, to) {
        case (.open, .signOff), (.signOff, .completed): return .forward
        case (.signOff, .open), (.completed, .signOff), (.completed, .open): return .backward
        default: return nil
        }
    }

    /// The states reachable from this one.
    public var allowedMoves: [RunState] { Self.allCases.filter { Self.direction(from: self, to: $0) != nil } }
}

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

/// Shared checks for state moves.
enum StateMoveRules {
    /// Checks a reason for a move in `direction`: backward moves need a non-blank reason.
    static func checkReason(_ reason: String, direction: MoveDirection, what: String) throws(CertificationError) {
        if direction == .backward && reason.trimmedForValidation.isEmpty {
            throw CertificationError(.reasonRequired, "\(what) moves back to an earlier state, which needs a reason")
        }
    }
}
