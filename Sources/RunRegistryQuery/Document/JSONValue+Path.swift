public import Rules

extension JSONValue {
    /// The value at a path of object keys and array indices, as Postgres' `#>>'{a,b,0}'` walks jsonb.
    ///
    /// An array step must be a decimal integer; a negative one counts from the end. Any step that
    /// does not exist yields nil.
    public func value(atPath path: some Sequence<String>) -> JSONValue? {
        var current = self
        for step in path {
            switch current {
            case .object(let object):
                guard let next = object[step] else { return nil }
                current = next
            case .array(let elements):
                guard var index = Int(step) else { return nil }
                if index < 0 { index += elements.count }
                guard elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}
