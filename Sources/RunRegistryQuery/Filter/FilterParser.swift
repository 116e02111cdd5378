import Rules

/// Turns the JSON of a `filter` into a ``FilterNode`` tree, validating every key, operator and operand.
struct FilterParser {
    /// The keys the route accepts.
    let schema: QuerySchema

    /// Parses `filter := {key: cond | "and"|"or": [filter...], ...}`; members are ANDed.
    func parseFilter(_ value: JSONValue, at path: RequestPath) throws(QueryError) -> FilterNode {
        guard case .object(let object) = value else {
            throw QueryError(
                .malformedFilter, "expected a filter object such as {\"run_number\": 327743}, found \(value.kindName)",
                at: path)
        }
        var parts: [FilterNode] = []
        for (key, member) in object {
            let memberPath = path.appending(key: key)
            if let connective = Connective(key: key) {
                var children: [FilterNode] = []
                for item in try Connective.items(of: member, key: key, what: "filters", at: memberPath) {
                    children.append(try parseFilter(item.value, at: item.path))
                }
                parts.append(connective.combine(children))
            } else {
                let accessor = try schema.resolveFilterKey(key, at: memberPath)
                parts.append(try parseCondition(member, accessor: accessor, key: key, at: memberPath))
            }
        }
        return .conjunction(parts)
    }

    /// Parses `cond := scalar | {op: operand, ...} | {"and"|"or": [cond...]}` for one key.
    private func parseCondition(
        _ value: JSONValue, accessor: ValueAccessor, key: String, at path: RequestPath
    ) throws(QueryError) -> FilterNode {
        switch value {
        case .array:
            throw QueryError(
                .malformedFilter,
                "expected a condition for \(JSONEscaping.quoted(key)) (a value, or an object of operators such as "
                    + "{\"=\": 5}), found an array", at: path)
        case .object(let object):
            guard !object.isEmpty else {
                throw QueryError(
                    .malformedFilter, "empty condition for \(JSONEscaping.quoted(key))", at: path,
                    hint: "give a value or an object of operators such as {\"=\": 5}")
            }
            var parts: [FilterNode] = []
            for (name, operand) in object {
                let operatorPath = path.appending(key: name)
                if let connective = Connective(key: name) {
                    var children: [FilterNode] = []
                    for item in try Connective.items(of: operand, key: name, what: "conditions", at: operatorPath) {
                        children.append(try parseCondition(item.value, accessor: accessor, key: key, at: item.path))
                    }
                    parts.append(connective.combine(children))
                } else {
                    let test = try OperandParser(accessor: accessor, key: key)
                        .test(operator: name, operand: operand, at: operatorPath)
                    parts.append(.predicate(accessor, test))
                }
            }
            return .conjunction(parts)
        case .null, .bool, .number, .string:
            let test = try OperandParser(accessor: accessor, key: key).test(operator: "=", operand: value, at: path)
            return .predicate(accessor, test)
        }
    }
}
