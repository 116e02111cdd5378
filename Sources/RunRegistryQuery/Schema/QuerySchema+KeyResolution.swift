extension QuerySchema {
    /// The prefix of triplet-summary keys.
    static let tripletRoot = "triplet_summary"

    /// Resolves a filter key into an accessor, or throws an error naming the key and what is allowed.
    func resolveFilterKey(_ key: String, at path: RequestPath) throws(QueryError) -> ValueAccessor {
        if let kind = columns[key] { return .column(key, kind) }
        let segments = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let root = segments[0]
        if root == Self.tripletRoot {
            return try resolveTripletKey(key, segments: segments, at: path)
        }
        if let attributes = jsonColumns[root] {
            return try resolveJSONKey(key, root: root, attributes: attributes, segments: segments, at: path)
        }
        throw QueryError(
            .unknownKey, "unknown filter attribute \(JSONEscaping.quoted(key))", at: path, hint: allowedKeysHint)
    }

    /// Resolves a sort key: a filter key, or a component name such as `dt-dt` (its whole summary).
    func resolveSortKey(_ key: String, at path: RequestPath) throws(QueryError) -> ValueAccessor {
        if columns[key] == nil, key.contains("-"), !key.contains(".") {
            guard let component = canonicalComponent(key) else {
                throw QueryError(
                    .unknownComponent, "unknown component \(JSONEscaping.quoted(key)) in sort key", at: path,
                    hint: "known components: \(componentList)")
            }
            return .componentSummary(component)
        }
        return try resolveFilterKey(key, at: path)
    }

    private func resolveTripletKey(
        _ key: String, segments: [String], at path: RequestPath
    ) throws(QueryError) -> ValueAccessor {
        guard segments.count == 3 else {
            throw QueryError(
                .unknownKey, "malformed triplet key \(JSONEscaping.quoted(key))", at: path,
                hint: "it must have the form triplet_summary.<component>.<STATUS>")
        }
        guard let component = canonicalComponent(segments[1]) else {
            throw QueryError(
                .unknownComponent,
                "unknown component \(JSONEscaping.quoted(segments[1])) in \(JSONEscaping.quoted(key))",
                at: path, hint: "known components: \(componentList)")
        }
        guard let status = TripletStatus(rawValue: segments[2]) else {
            throw QueryError(
                .unknownStatus, "unknown status \(JSONEscaping.quoted(segments[2])) in \(JSONEscaping.quoted(key))",
                at: path, hint: "allowed statuses: \(TripletStatus.allNames)")
        }
        return .triplet(component: component, status: status)
    }

    private func resolveJSONKey(
        _ key: String, root: String, attributes: AttributeSet, segments: [String], at path: RequestPath
    ) throws(QueryError) -> ValueAccessor {
        let inner = Array(segments.dropFirst())
        guard let first = inner.first, !inner.contains(where: \.isEmpty) else {
            throw QueryError(
                .unknownKey, "malformed JSON attribute key \(JSONEscaping.quoted(key))", at: path,
                hint: "it must have the form \(root).<attribute>[.<attribute>...]")
        }
        guard attributes.allows(first) else {
            var hint = "\(root) has no attribute \(JSONEscaping.quoted(first))"
            if case .only(let names) = attributes { hint += "; allowed: " + names.sorted().joined(separator: ", ") }
            throw QueryError(.unknownKey, "unknown filter attribute \(JSONEscaping.quoted(key))", at: path, hint: hint)
        }
        return .json(root: root, path: inner)
    }

    private var componentList: String {
        let names = components.sorted()
        guard !names.isEmpty else { return "(none configured)" }
        return names.joined(separator: ", ")
    }

    private var allowedKeysHint: String {
        var forms = columns.keys.sorted()
        forms += jsonColumns.keys.sorted().map { "\($0).<attribute>" }
        forms.append("triplet_summary.<component>.<STATUS>")
        return "allowed keys: " + forms.joined(separator: ", ")
    }
}
