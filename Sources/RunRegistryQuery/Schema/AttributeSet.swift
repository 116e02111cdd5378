/// The attribute names allowed as the first segment after a JSON column, e.g. `hlt_key` in `oms_attributes.hlt_key`.
public enum AttributeSet: Sendable, Hashable {
    /// Any attribute name is accepted (a missing one simply reads as NULL).
    case any
    /// Only these attribute names are accepted; others are an error naming the allowed ones.
    case only(Set<String>)

    /// True when `name` is allowed.
    func allows(_ name: String) -> Bool {
        switch self {
        case .any: return true
        case .only(let names): return names.contains(name)
        }
    }
}
