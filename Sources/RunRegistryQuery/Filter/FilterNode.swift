/// The parsed form of a filter: AND/OR groups over typed predicates.
indirect enum FilterNode: Sendable, Hashable {
    /// Every child holds; an empty group holds (Sequelize drops empty groups).
    case all([FilterNode])
    /// At least one child holds; an empty group holds (Sequelize drops empty groups).
    case any([FilterNode])
    /// The value that `accessor` reads passes `test`.
    case predicate(ValueAccessor, ValueTest)

    /// An AND of `nodes`, collapsed to the node itself when there is exactly one.
    static func conjunction(_ nodes: [FilterNode]) -> FilterNode {
        nodes.count == 1 ? nodes[0] : .all(nodes)
    }

    /// An OR of `nodes`, collapsed to the node itself when there is exactly one.
    static func disjunction(_ nodes: [FilterNode]) -> FilterNode {
        nodes.count == 1 ? nodes[0] : .any(nodes)
    }

    /// Whether the document satisfies this node.
    func matches(_ document: some QueryDocument) -> Bool {
        switch self {
        case .all(let children):
            for child in children where !child.matches(document) { return false }
            return true
        case .any(let children):
            if children.isEmpty { return true }
            for child in children where child.matches(document) { return true }
            return false
        case .predicate(let accessor, let test):
            return test.passes(accessor.read(document))
        }
    }
}
