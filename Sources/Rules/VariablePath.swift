/// A data path read by a `var` (or `missing`) operation, split into its dotted components once.
///
/// Paths found in a rule at compile time carry a `slot`: their position in
/// `CompiledRule.variablePaths`, so an input can answer with an array lookup.
public struct VariablePath: Sendable, CustomStringConvertible {
    /// The immutable parts of a path, shared by all copies (one reference to retain, not three).
    final class Storage: Sendable {
        let text: String
        let components: [String]
        let indices: [Int?]
        let isWholeData: Bool

        init(text: String, wholeIfEmpty: Bool) {
            self.text = text
            if text.isEmpty, wholeIfEmpty {
                isWholeData = true
                components = []
                indices = []
            } else {
                isWholeData = false
                let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                components = parts
                indices = parts.map(VariablePath.arrayIndex)
            }
        }
    }

    let storage: Storage
    /// The position of this path in the compiled rule's `variablePaths`, or nil for paths built at
    /// evaluation time (computed `var` arguments, `missing` keys that are not literals).
    public let slot: Int?

    /// The path as written, e.g. `"lumisection.rr.tracker-pixel"`.
    public var text: String { storage.text }
    /// The dotted components, e.g. `["lumisection", "rr", "tracker-pixel"]`; empty for the whole data.
    public var components: [String] { storage.components }
    /// True for `""` / `null` paths, which read the whole data object.
    public var isWholeData: Bool { storage.isWholeData }
    /// For each component, its value as a canonical array index ("0", "17"; not "01" or "-1").
    var indices: [Int?] { storage.indices }

    /// A path from dotted text; `""` reads the whole data.
    public init(_ text: String) {
        self.init(text: text, wholeIfEmpty: true, slot: nil)
    }

    init(text: String, wholeIfEmpty: Bool, slot: Int?) {
        storage = Storage(text: text, wholeIfEmpty: wholeIfEmpty)
        self.slot = slot
    }

    private init(storage: Storage, slot: Int?) {
        self.storage = storage
        self.slot = slot
    }

    /// The same path, tagged with a slot.
    func withSlot(_ slot: Int?) -> VariablePath {
        VariablePath(storage: storage, slot: slot)
    }

    /// The path json-logic-js reads for a `var` argument: undefined, null and "" mean the whole
    /// data; anything else is converted with JavaScript `String()` and split on ".".
    static func fromJS(_ value: JSONValue?) -> VariablePath {
        switch value {
        case nil, .null?: return VariablePath(text: "", wholeIfEmpty: true, slot: nil)
        case .string(let s)?: return VariablePath(text: s, wholeIfEmpty: true, slot: nil)
        default: return VariablePath(text: JS.toString(value), wholeIfEmpty: false, slot: nil)
        }
    }

    /// A JavaScript canonical array index: decimal digits, no leading zero, below 2^32 - 1.
    static func arrayIndex(_ s: String) -> Int? {
        let u = s.utf8
        guard !u.isEmpty, u.count <= 10 else { return nil }
        if u.count > 1, u.first == UInt8(ascii: "0") { return nil }
        var v = 0
        for c in u {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            v = v * 10 + Int(c - UInt8(ascii: "0"))
        }
        return v < 4_294_967_295 ? v : nil
    }

    public var description: String { text }
}

extension VariablePath: Hashable {
    public static func == (lhs: VariablePath, rhs: VariablePath) -> Bool {
        lhs.storage === rhs.storage || (lhs.isWholeData == rhs.isWholeData && lhs.text == rhs.text)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(isWholeData)
    }
}
