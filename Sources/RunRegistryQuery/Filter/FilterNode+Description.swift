import Rules

extension FilterNode: CustomStringConvertible {
    /// An SQL-like rendering, e.g. `(run_number = 1 OR run_number = 2)`; an empty group is `TRUE`.
    var description: String {
        switch self {
        case .all(let children): return Self.group(children, joiner: " AND ")
        case .any(let children): return Self.group(children, joiner: " OR ")
        case .predicate(let accessor, let test): return "\(accessor.name) \(test.description)"
        }
    }

    private static func group(_ children: [FilterNode], joiner: String) -> String {
        guard !children.isEmpty else { return "TRUE" }
        return "(" + children.map(\.description).joined(separator: joiner) + ")"
    }
}

extension ValueAccessor {
    /// The key as the filter spells it (canonical component names).
    var name: String {
        switch self {
        case .column(let name, _): return name
        case .json(let root, let path): return ([root] + path).joined(separator: ".")
        case .triplet(let component, let status): return "triplet_summary.\(component).\(status.rawValue)"
        case .componentSummary(let component): return component
        }
    }
}

extension ValueTest: CustomStringConvertible {
    /// The operator and operand, e.g. `ILIKE '%cosmics%'` or `> 0`.
    var description: String {
        switch self {
        case .number(let op, let d): return "\(op.rawValue) \(JSONValue.number(d).serialized())"
        case .text(let op, let s): return "\(op.rawValue) \(Self.quoted(s))"
        case .boolean(let op, let b): return "\(op.rawValue) \(b)"
        case .like(let pattern, let negated):
            let word = pattern.caseInsensitive ? "ILIKE" : "LIKE"
            return (negated ? "NOT " : "") + word + " " + Self.quoted(pattern.pattern)
        case .isNull(let wantNull): return wantNull ? "IS NULL" : "IS NOT NULL"
        case .contains(let strings): return "@> [" + strings.map(Self.quoted).joined(separator: ", ") + "]"
        }
    }

    private static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }
}
