/// A source of variable values for rule evaluation, so callers need not build JSON objects.
///
/// Return nil when the path does not resolve (JavaScript `undefined`): `var` then yields its
/// default, or null. Return `.null` only for a value that exists and is null.
public protocol RuleInput {
    /// The value at `path`, or nil when there is none.
    func value(at path: VariablePath) -> JSONValue?
}

extension JSONValue: RuleInput {
    /// Looks the path up as json-logic-js does: object members, array indices and `length`,
    /// string indices and `length`; stepping into null or a missing member gives nil.
    public func value(at path: VariablePath) -> JSONValue? {
        let storage = path.storage
        if storage.isWholeData { return self }
        var current = self
        let components = storage.components
        let indices = storage.indices
        for i in components.indices {
            switch current {
            case .object(let o):
                guard let next = o[components[i]] else { return nil }
                current = next
            case .array(let a):
                if let k = indices[i] {
                    guard k < a.count else { return nil }
                    current = a[k]
                } else if components[i] == "length" {
                    current = .number(Double(a.count))
                } else {
                    return nil
                }
            case .string(let s):
                let units = s.utf16
                if let k = indices[i] {
                    guard k < units.count else { return nil }
                    let unit = units[units.index(units.startIndex, offsetBy: k)]
                    current = .string(String(decoding: [unit], as: UTF16.self))
                } else if components[i] == "length" {
                    current = .number(Double(units.count))
                } else {
                    return nil
                }
            case .null, .bool, .number:
                return nil
            }
        }
        return current
    }
}

/// Variable values held in an array aligned with a compiled rule's `variablePaths`: the fastest input.
///
/// Fill it once per evaluated item (e.g. per lumisection) by slot or by name, then evaluate.
public struct VariableValues: RuleInput, Sendable {
    /// The paths, aligned with `values`.
    public let paths: [VariablePath]
    /// The values (nil = absent), aligned with `paths`.
    public var values: [JSONValue?]

    /// All values absent, for the variables of `rule`.
    public init(for rule: CompiledRule) {
        paths = rule.variablePaths
        values = Array(repeating: nil, count: paths.count)
    }

    /// Values produced by `resolve` for each variable of `rule`.
    public init(for rule: CompiledRule, resolve: (VariablePath) throws -> JSONValue?) rethrows {
        paths = rule.variablePaths
        values = try paths.map(resolve)
    }

    /// The value in `slot`.
    public subscript(slot slot: Int) -> JSONValue? {
        get { values[slot] }
        set { values[slot] = newValue }
    }

    /// The value of the variable named `name` (setting an unknown name does nothing).
    public subscript(name: String) -> JSONValue? {
        get {
            guard let i = paths.firstIndex(where: { $0.text == name && !$0.isWholeData }) else { return nil }
            return values[i]
        }
        set {
            guard let i = paths.firstIndex(where: { $0.text == name && !$0.isWholeData }) else { return }
            values[i] = newValue
        }
    }

    public func value(at path: VariablePath) -> JSONValue? {
        if let slot = path.slot, slot >= 0, slot < paths.count, paths[slot] == path {
            return values[slot]
        }
        if path.isWholeData { return nil }
        guard let i = paths.firstIndex(of: path) else { return nil }
        return values[i]
    }
}

/// An input that answers variable lookups with a closure.
public struct ClosureInput: RuleInput {
    let resolve: (VariablePath) -> JSONValue?

    /// An input backed by `resolve`.
    public init(_ resolve: @escaping (VariablePath) -> JSONValue?) {
        self.resolve = resolve
    }

    public func value(at path: VariablePath) -> JSONValue? { resolve(path) }
}
