/// The keys a list route accepts in `filter` and `sortings`, and its default order.
///
/// A route builds one schema at start-up and reuses it for every request:
///
/// ```swift
/// let schema = QuerySchema(
///     columns: ["run_number": .number, "deleted": .boolean],
///     jsonColumns: ["oms_attributes": .any, "rr_attributes": .only(["class", "state"])],
///     components: ["dt-dt", "tracker-pixel"],
///     defaultSorting: [SortTerm(key: "run_number", direction: .descending)]
/// )
/// ```
///
/// See ``QuerySchema/runs(components:)`` and ``QuerySchema/datasets(components:)`` for the
/// Run Registry's two list routes.
public struct QuerySchema: Sendable {
    /// Plain columns by name, with their SQL kind.
    public var columns: [String: ColumnKind]
    /// JSON columns by name (e.g. `oms_attributes`), with the attribute names they accept.
    public var jsonColumns: [String: AttributeSet]
    /// The triplet components that `triplet_summary.<component>.<STATUS>` keys and `-` sort keys may name.
    public var components: Set<String>
    /// Alternative component spellings mapped to their canonical names, e.g. `tracker-pix` → `tracker-pixel`.
    public var componentAliases: [String: String]
    /// The order applied after the request's own sortings; it also breaks ties.
    public var defaultSorting: [SortTerm]

    /// Creates a schema; the default aliases map `tracker-pix` to `tracker-pixel`.
    public init(
        columns: [String: ColumnKind],
        jsonColumns: [String: AttributeSet],
        components: some Sequence<String>,
        componentAliases: [String: String] = ["tracker-pix": "tracker-pixel"],
        defaultSorting: [SortTerm]
    ) {
        self.columns = columns
        self.jsonColumns = jsonColumns
        self.components = Set(components)
        self.componentAliases = componentAliases
        self.defaultSorting = defaultSorting
    }

    /// The canonical name of a component, following aliases, or nil when unknown.
    func canonicalComponent(_ name: String) -> String? {
        if components.contains(name) { return name }
        if let target = componentAliases[name], components.contains(target) { return target }
        return nil
    }
}
