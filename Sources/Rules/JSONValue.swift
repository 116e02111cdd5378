/// A JSON value: null, boolean, number, string, array or insertion-ordered object.
///
/// Numbers are IEEE doubles, as in JavaScript. Equality is structural: numbers compare by value
/// (`0 == -0`), arrays by order, objects by their key/value pairs regardless of key order.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    /// The boolean payload, or nil when this is not a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The number payload, or nil when this is not a number.
    public var numberValue: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    /// The string payload, or nil when this is not a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The array payload, or nil when this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object payload, or nil when this is not an object.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// True for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member named `key` when this is an object, else nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index` when this is an array and the index is in range, else nil.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, index >= 0, index < a.count { return a[index] }
        return nil
    }

    /// A short name for the kind of value, used in error messages ("null", "boolean", …).
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value.
    public var description: String { serialized() }
}

/// A JSON object: string keys mapped to values, remembering the order in which keys first appeared.
///
/// Setting an existing key replaces its value in place (as `JSON.parse` does for duplicate keys).
/// Equality and hashing ignore key order.
public struct JSONObject: Sendable {
    // Immutable shared storage: copying an object (and so a JSONValue) retains one reference,
    // and reads need no exclusivity checks. Setting a member rebuilds the storage, so build
    // large objects with `init(_:)` rather than key by key.
    private final class Storage: Sendable {
        let keys: [String]
        let values: [JSONValue]
        /// Key → position, built only for larger objects so small ones stay cheap.
        let index: [String: Int]?

        init(keys: [String], values: [JSONValue], index: [String: Int]?) {
            self.keys = keys
            self.values = values
            self.index = index
        }
    }

    private var storage: Storage

    private static let indexThreshold = 12
    private static let empty = Storage(keys: [], values: [], index: nil)

    /// An empty object.
    public init() {
        storage = Self.empty
    }

    /// An object with the given pairs; a repeated key keeps its first position and its last value.
    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        var keys: [String] = []
        var values: [JSONValue] = []
        var index: [String: Int]? = nil
        for (k, v) in pairs {
            let existing: Int?
            if let index {
                existing = index[k]
            } else {
                existing = keys.firstIndex(of: k)
            }
            if let i = existing {
                values[i] = v
                continue
            }
            keys.append(k)
            values.append(v)
            if index != nil {
                index?[k] = keys.count - 1
            } else if keys.count > Self.indexThreshold {
                index = Self.makeIndex(keys)
            }
        }
        storage = Storage(keys: keys, values: values, index: index)
    }

    /// The keys, in insertion order.
    public var keys: [String] { storage.keys }

    /// The values, aligned with `keys`.
    public var values: [JSONValue] { storage.values }

    /// The number of members.
    public var count: Int { storage.keys.count }

    /// True when the object has no members.
    public var isEmpty: Bool { storage.keys.isEmpty }

    /// The position of `key`, or nil.
    public func position(of key: String) -> Int? {
        let s = storage
        if let index = s.index { return index[key] }
        let keys = s.keys
        for i in keys.indices where keys[i] == key { return i }
        return nil
    }

    /// The value for `key`; setting nil removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = position(of: key) else { return nil }
            return storage.values[i]
        }
        set {
            let existing = position(of: key)
            var keys = storage.keys
            var values = storage.values
            var index = storage.index
            switch (existing, newValue) {
            case (nil, nil):
                return
            case (let i?, let v?):
                values[i] = v
            case (let i?, nil):
                keys.remove(at: i)
                values.remove(at: i)
                index = keys.count > Self.indexThreshold ? Self.makeIndex(keys) : nil
            case (nil, let v?):
                keys.append(key)
                values.append(v)
                if index != nil {
                    index?[key] = keys.count - 1
                } else if keys.count > Self.indexThreshold {
                    index = Self.makeIndex(keys)
                }
            }
            storage = Storage(keys: keys, values: values, index: index)
        }
    }

    private static func makeIndex(_ keys: [String]) -> [String: Int] {
        var map = [String: Int](minimumCapacity: keys.count)
        for (i, k) in keys.enumerated() { map[k] = i }
        return map
    }
}

extension JSONObject: Hashable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        if lhs.storage === rhs.storage { return true }
        guard lhs.count == rhs.count else { return false }
        if lhs.keys == rhs.keys { return lhs.values == rhs.values }
        for (i, k) in lhs.keys.enumerated() {
            guard let v = rhs[k], v == lhs.values[i] else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: combine per-member hashes commutatively.
        var sum = 0
        for (i, k) in keys.enumerated() {
            var h = Hasher()
            h.combine(k)
            h.combine(values[i])
            sum &+= h.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}

extension JSONObject: Sequence {
    /// Iterates `(key, value)` pairs in insertion order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: JSONValue)> {
        var i = 0
        let keys = self.keys
        let values = self.values
        return AnyIterator {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            return (key: keys[i], value: values[i])
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
