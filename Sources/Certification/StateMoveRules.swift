/// Shared checks for state moves.
enum StateMoveRules {
    /// Checks a reason for a move in `direction`: backward moves need a non-blank reason.
    static func checkReason(_ reason: String, direction: MoveDirection, what: String) throws(CertificationError) {
        if direction == .backward && reason.trimmedForValidation.isEmpty {
            throw CertificationError(.reasonRequired, "\(what) moves back to an earlier state, which needs a reason")
        }
    }
}
