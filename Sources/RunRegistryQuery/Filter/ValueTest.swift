import Rules

/// A typed test of one value, decided once at parse time from the operator and the operand's JSON type.
enum ValueTest: Sendable, Hashable {
    /// Cast the value to `double precision` and compare.
    case number(ComparisonOperator, Double)
    /// Compare the value's text (code-point order, like `COLLATE "C"`).
    case text(ComparisonOperator, String)
    /// Cast the value to `boolean` and compare (`false < true`).
    case boolean(ComparisonOperator, Bool)
    /// Match the value's text against a LIKE pattern; `negated` for NOT LIKE.
    case like(LikePattern, negated: Bool)
    /// `IS NULL` when true, `IS NOT NULL` when false.
    case isNull(Bool)
    /// The value is an array holding every one of these strings (`@>`).
    case contains([String])

    /// Whether the value passes; absent values and JSON null are SQL NULL and fail every test but `IS NULL`.
    func passes(_ value: JSONValue?) -> Bool {
        guard let value, !value.isNull else {
            if case .isNull(let wantNull) = self { return wantNull }
            return false
        }
        switch self {
        case .number(let op, let operand):
            guard let number = SQLCast.double(value) else { return false }
            return op.holds(number, operand)
        case .text(let op, let operand):
            guard let text = SQLCast.text(value) else { return false }
            return op.holds(text, operand)
        case .boolean(let op, let operand):
            guard let flag = SQLCast.boolean(value) else { return false }
            return op.holds(flag ? 1 : 0, operand ? 1 : 0)  // SQL orders false before true
        case .like(let pattern, let negated):
            guard let text = SQLCast.text(value) else { return false }
            return pattern.matches(text) != negated
        case .isNull(let wantNull):
            return !wantNull
        case .contains(let required):
            guard case .array(let elements) = value else { return false }
            return required.allSatisfy { elements.contains(.string($0)) }
        }
    }
}
