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
