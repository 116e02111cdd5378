/// A binary comparison of the filter language: `=`, `<>`, `<`, `>`, `<=`, `>=`.
enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    /// Equal.
    case equal = "="
    /// Not equal.
    case notEqual = "<>"
    /// Less than.
    case less = "<"
    /// Greater than.
    case greater = ">"
    /// Less than or equal.
    case lessOrEqual = "<="
    /// Greater than or equal.
    case greaterOrEqual = ">="

    /// Whether `lhs <op> rhs` holds.
    @inline(__always)
    func holds<T: Comparable>(_ lhs: T, _ rhs: T) -> Bool {
        switch self {
        case .equal: return lhs == rhs
        case .notEqual: return lhs != rhs
        case .less: return lhs < rhs
        case .greater: return lhs > rhs
        case .lessOrEqual: return lhs <= rhs
        case .greaterOrEqual: return lhs >= rhs
        }
    }
}
