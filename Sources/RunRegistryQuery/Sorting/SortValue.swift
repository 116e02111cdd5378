import Rules

/// One row's value for one sort key, in a form that compares in a total order.
///
/// Ascending order is: numbers (numerically, NaN after every other number), then text
/// (code-point order; booleans as `false`/`true`, arrays and objects as compact JSON), then
/// component summaries, then NULL. Descending is the exact reverse, so NULLs come first as in Postgres.
enum SortValue: Sendable {
    /// A JSON number (or a triplet count).
    case number(Double)
    /// The text of any other non-null value.
    case text(String)
    /// A component summary: counts in ``SortValue/summaryStatuses`` order, absent counters as 0.
    case counts([Int])
    /// SQL NULL: an absent value or JSON null.
    case null

    /// The status order of a component summary's sort value: most GOOD first decides, then BAD, and so on.
    static let summaryStatuses: [TripletStatus] = [.good, .bad, .standby, .excluded, .notSet, .empty]

    /// Reads the sort value of `accessor` from `document`.
    init(_ accessor: ValueAccessor, of document: some QueryDocument) {
        if case .componentSummary(let component) = accessor {
            var counts: [Int] = []
            counts.reserveCapacity(Self.summaryStatuses.count)
            var seen = false
            for status in Self.summaryStatuses {
                let count = document.tripletCount(component: component, status: status)
                seen = seen || count != nil
                counts.append(count ?? 0)
            }
            self = seen ? .counts(counts) : .null
            return
        }
        switch accessor.read(document) {
        case .none, .null?: self = .null
        case .number(let d)?: self = .number(d)
        case let value?: self = SQLCast.text(value).map(SortValue.text) ?? .null
        }
    }

    private var rank: Int {
        switch self {
        case .number: return 0
        case .text: return 1
        case .counts: return 2
        case .null: return 3
        }
    }

    /// -1, 0 or 1 as `lhs` sorts before, with, or after `rhs` in ascending order.
    static func compareAscending(_ lhs: SortValue, _ rhs: SortValue) -> Int {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)):
            if a.isNaN || b.isNaN { return (a.isNaN ? 1 : 0) - (b.isNaN ? 1 : 0) }
            return a < b ? -1 : (a > b ? 1 : 0)
        case (.text(let a), .text(let b)):
            return a < b ? -1 : (a == b ? 0 : 1)
        case (.counts(let a), .counts(let b)):
            if a == b { return 0 }
            return a.lexicographicallyPrecedes(b) ? -1 : 1
        default:
            return lhs.rank < rhs.rank ? -1 : (lhs.rank == rhs.rank ? 0 : 1)
        }
    }
}
