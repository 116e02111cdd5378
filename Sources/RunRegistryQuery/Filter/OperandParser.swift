import Rules

/// Decides the ``ValueTest`` for one operator and operand on one key, following Postgres' typing.
///
/// JSON-path and triplet keys compare the text of the value, cast to the operand's JSON type.
/// Plain columns have an SQL type: numeric strings are accepted for number columns (Postgres casts
/// the literal), but a number for a text column or `like` on a number column is an error, as it was.
struct OperandParser {
    /// Where the value comes from.
    let accessor: ValueAccessor
    /// The key as written, for messages.
    let key: String

    /// Every operator the language has, for messages.
    static let allowedOperators = "=, <>, <, >, <=, >=, like, LIKE, notlike, NOTLIKE, contains, and, or, AND, OR"

    /// The test for `operator` applied to `operand`.
    func test(operator name: String, operand: JSONValue, at path: RequestPath) throws(QueryError) -> ValueTest {
        if let comparison = ComparisonOperator(rawValue: name) {
            return try comparisonTest(comparison, operand: operand, at: path)
        }
        switch name {
        case "like", "LIKE":
            return try likeTest(name, operand: operand, caseInsensitive: true, negated: false, at: path)
        case "notlike": return try likeTest(name, operand: operand, caseInsensitive: true, negated: true, at: path)
        case "NOTLIKE": return try likeTest(name, operand: operand, caseInsensitive: false, negated: true, at: path)
        case "contains": return try containsTest(operand, at: path)
        default:
            throw QueryError(
                .unknownOperator, "unknown operator \(JSONEscaping.quoted(name)) for \(JSONEscaping.quoted(key))",
                at: path, hint: "allowed operators: \(Self.allowedOperators)")
        }
    }

    private func comparisonTest(
        _ op: ComparisonOperator, operand: JSONValue, at path: RequestPath
    ) throws(QueryError) -> ValueTest {
        if operand.isNull {
            switch op {
            case .equal: return .isNull(true)
            case .notEqual: return .isNull(false)
            default:
                throw QueryError(
                    .malformedFilter, "null can only be compared with = or <>, not \(JSONEscaping.quoted(op.rawValue))",
                    at: path)
            }
        }
        guard case .column(let column, let kind) = accessor else {
            switch operand {
            case .number(let d): return .number(op, d)
            case .string(let s): return .text(op, s)
            case .bool(let b): return .boolean(op, b)
            default: throw badOperand(op.rawValue, operand, expected: "a string, number, boolean or null", at: path)
            }
        }
        switch (kind, operand) {
        case (.number, .number(let d)):
            return .number(op, d)
        case (.number, .string(let s)):
            guard let d = SQLCast.double(fromText: s) else {
                throw badOperand(op.rawValue, operand, expected: "a number (\(column) is a number column)", at: path)
            }
            return .number(op, d)
        case (.text, .string(let s)):
            return .text(op, s)
        case (.boolean, .bool(let b)):
            return .boolean(op, b)
        case (.boolean, .string(let s)):
            guard let b = SQLCast.boolean(fromText: s) else {
                throw badOperand(op.rawValue, operand, expected: "a boolean (\(column) is a boolean column)", at: path)
            }
            return .boolean(op, b)
        case (.textArray, _) where op == .equal:
            return try containsTest(operand, at: path)
        case (.textArray, _):
            throw QueryError(
                .unknownOperator,
                "operator \(JSONEscaping.quoted(op.rawValue)) does not apply to \(column), a text array column",
                at: path, hint: "use contains (or =, which means contains)")
        default:
            throw badOperand(
                op.rawValue, operand, expected: "a \(kind.name) (\(column) is a \(kind.name) column)", at: path)
        }
    }

    private func likeTest(
        _ name: String, operand: JSONValue, caseInsensitive: Bool, negated: Bool, at path: RequestPath
    ) throws(QueryError) -> ValueTest {
        if case .column(let column, let kind) = accessor, kind != .text {
            throw QueryError(
                .unknownOperator,
                "operator \(JSONEscaping.quoted(name)) does not apply to \(column), a \(kind.name) column",
                at: path, hint: "like, LIKE, notlike and NOTLIKE need text")
        }
        guard case .string(let text) = operand else {
            throw badOperand(name, operand, expected: "a string pattern", at: path)
        }
        guard let pattern = LikePattern(text, caseInsensitive: caseInsensitive) else {
            throw QueryError(
                .malformedFilter, "the pattern of \(JSONEscaping.quoted(name)) ends with the escape character \\",
                at: path, hint: "write \\\\ for a literal backslash")
        }
        return .like(pattern, negated: negated)
    }

    private func containsTest(_ operand: JSONValue, at path: RequestPath) throws(QueryError) -> ValueTest {
        guard case .column(_, .textArray) = accessor else {
            throw QueryError(
                .unknownOperator, "operator \"contains\" does not apply to \(JSONEscaping.quoted(key))", at: path,
                hint: "contains applies only to text array columns such as datasets_in_gui")
        }
        switch operand {
        case .string(let s):
            return .contains([s])
        case .array(let elements):
            var strings: [String] = []
            for element in elements {
                guard case .string(let s) = element else {
                    throw badOperand("contains", operand, expected: "a string or an array of strings", at: path)
                }
                strings.append(s)
            }
            return .contains(strings)
        default:
            throw badOperand("contains", operand, expected: "a string or an array of strings", at: path)
        }
    }

    private func badOperand(_ name: String, _ operand: JSONValue, expected: String, at path: RequestPath) -> QueryError
    {
        QueryError(
            .malformedFilter,
            "operand \(JSONEscaping.preview(operand)) of \(JSONEscaping.quoted(name)) for \(JSONEscaping.quoted(key)) "
                + "must be \(expected), found \(operand.kindName)", at: path)
    }
}
