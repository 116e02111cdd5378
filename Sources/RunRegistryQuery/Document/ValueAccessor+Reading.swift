import Rules

extension ValueAccessor {
    /// The value this accessor reads from a document, nil for SQL NULL.
    ///
    /// A triplet count reads as a number; a component summary has no single value and reads as nil
    /// (sorting reads it through ``SortValue``).
    func read(_ document: some QueryDocument) -> JSONValue? {
        switch self {
        case .column(let name, _):
            return document.value(column: name)
        case .json(let root, let path):
            return document.value(path: path, in: root)
        case .triplet(let component, let status):
            return document.tripletCount(component: component, status: status).map { .number(Double($0)) }
        case .componentSummary:
            return nil
        }
    }
}
