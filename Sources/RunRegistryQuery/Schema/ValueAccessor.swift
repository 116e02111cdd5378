/// A validated key: where a filter or sort reads its value in a document.
enum ValueAccessor: Sendable, Hashable {
    /// A plain column of the given kind.
    case column(String, ColumnKind)
    /// A JSON column and the path inside it (at least one segment), read as `#>>` reads it.
    case json(root: String, path: [String])
    /// The number of lumisections of a component with a status (`triplet_summary.<c>.<S>`).
    case triplet(component: String, status: TripletStatus)
    /// A component's whole summary, used only by sort keys such as `dt-dt`.
    case componentSummary(String)
}
