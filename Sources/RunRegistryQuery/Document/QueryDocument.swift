public import Rules

/// A row that list queries can filter and sort: a run or a dataset with its JSON attributes and triplet counts.
///
/// Conform the server's in-memory rows directly, or wrap response-shaped JSON in ``JSONDocument``.
/// The evaluator calls these methods with keys validated and split once per request, so an
/// implementation only needs cheap lookups.
///
/// - Important: Return nil (or `.null`) for anything absent; it is SQL NULL, and every comparison
///   with NULL is false.
public protocol QueryDocument {
    /// The value of a plain column such as `run_number`, `name`, `deleted` or `datasets_in_gui`.
    func value(column: String) -> JSONValue?

    /// The value at `path` inside the JSON column `root`, e.g. `["hlt_key"]` in `oms_attributes`.
    ///
    /// ``Rules/JSONValue/value(atPath:)`` implements the walk the way Postgres' `#>>` does.
    func value(path: [String], in root: String) -> JSONValue?

    /// The number of lumisections of `component` (canonical name, e.g. `tracker-pixel`) with `status`.
    ///
    /// Return nil when the row has no triplet summary, no entry for the component, or no counter
    /// for the status (the cache only writes counters it has seen, except `EMPTY`).
    func tripletCount(component: String, status: TripletStatus) -> Int?
}
