/// One requested ordering: a key and a direction, as in a `sortings` entry `["run_number", "DESC"]`.
public struct SortTerm: Sendable, Hashable {
    /// The direction of one ordering.
    public enum Direction: String, Sendable, Hashable {
        /// Smallest first; NULLs last (the Postgres default for ASC).
        case ascending = "ASC"
        /// Largest first; NULLs first (the Postgres default for DESC).
        case descending = "DESC"
    }

    /// The key as written, e.g. `run_number`, `oms_attributes.b_field` or `dt-dt`.
    public var key: String
    /// The direction.
    public var direction: Direction

    /// Creates a term.
    public init(key: String, direction: Direction) {
        self.key = key
        self.direction = direction
    }
}
