/// The SQL type of a plain (non-JSON) column, which decides the operands and operators it accepts.
public enum ColumnKind: Sendable, Hashable {
    /// A numeric column such as `run_number`; operands are numbers or numeric strings.
    case number
    /// A text column such as `name`; operands are strings, and `like`/`notlike` apply.
    case text
    /// A boolean column such as `deleted`; operands are booleans or `'true'`/`'false'`-like strings.
    case boolean
    /// A text-array column such as `datasets_in_gui`; only `contains` (and equality, meaning contains) apply.
    case textArray

    /// The name used in messages, e.g. "number".
    var name: String {
        switch self {
        case .number: return "number"
        case .text: return "text"
        case .boolean: return "boolean"
        case .textArray: return "text array"
        }
    }
}
