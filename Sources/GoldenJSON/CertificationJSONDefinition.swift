import LedgerCore
public import Rules

/// A certification-JSON definition from `projections/`: a name, a dataset name filter and a rule,
/// identified by a hash of its canonical content.
///
/// The identity (`certjson/<name>@<12 hex digits>`) changes whenever the name, the filter or the
/// rule changes, so a changed file gets a new namespace of maintained rows, rebuilt beside the
/// served one (blue/green). The description is not part of the identity: it does not change the
/// output.
///
/// ```swift
/// let definition = try CertificationJSONDefinition(parsing: bytes, source: "projections/dcs-only.json")
/// definition.identity   // "certjson/dcs-only@3f1c0e9a27b4"
/// ```
public struct CertificationJSONDefinition: Sendable {
    /// The definition's name (the file name without `.json`).
    public let name: String
    /// What the JSON is for.
    public let description: String
    /// The dataset name filter as written (SQL `SIMILAR TO`).
    public let filterText: String
    /// The rule, compiled in certification mode.
    public let rule: CompiledRule
    /// The dataset name filter.
    public let filter: DatasetNameFilter
    /// SHA-256, in hex, of 32 zero bytes followed by the canonical content: the compact JSON text
    /// of `{"dataset_name_filter":…,"name":…,"rule":…}` with object keys sorted at every level.
    public let contentHash: String

    /// The first 12 hex digits of ``contentHash``.
    public var version: String { String(contentHash.prefix(12)) }

    /// The maintained projection's identity: `certjson/<name>@<version>`.
    public var identity: String { "certjson/\(name)@\(version)" }

    /// Parses a definition file.
    ///
    /// - Parameters:
    ///   - source: the file's path, for messages.
    ///   - expectedName: the name the file must declare (its file name), when known.
    /// - Throws: ``DefinitionError`` naming the file and what is wrong with it.
    public init(parsing bytes: [UInt8], source: String, expectedName: String? = nil) throws(DefinitionError) {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw DefinitionError(source: source, message: "\(error)") }
        guard let name = value["name"]?.stringValue, !name.isEmpty else {
            throw DefinitionError(source: source, message: "needs a non-empty \"name\"")
        }
        if let expectedName, expectedName != name {
            throw DefinitionError(source: source, message: "declares the name '\(name)' but its file is named '\(expectedName)'")
        }
        guard let filterText = value["dataset_name_filter"]?.stringValue, let ruleValue = value["rule"] else {
            throw DefinitionError(source: source, message: "needs \"rule\" and \"dataset_name_filter\"")
        }
        do { rule = try CompiledRule(ruleValue, options: .runRegistry) } catch {
            throw DefinitionError(source: source, message: "the rule is not valid: \(error)")
        }
        do { filter = try DatasetNameFilter(filterText) } catch {
            throw DefinitionError(source: source, message: "\(error)")
        }
        self.name = name
        self.filterText = filterText
        self.description = value["description"]?.stringValue ?? ""
        let content = JSONValue.object(
            JSONObject([("dataset_name_filter", .string(filterText)), ("name", .string(name)), ("rule", ruleValue)]))
        contentHash = ChainHash.genesis.next(Array(Self.canonicalText(content).utf8)).hex
    }

    /// Compact JSON text with object keys sorted by their UTF-8 bytes at every level.
    public static func canonicalText(_ value: JSONValue) -> String {
        switch value {
        case .array(let items):
            return "[" + items.map(canonicalText).joined(separator: ",") + "]"
        case .object(let object):
            let order = object.keys.indices.sorted { object.keys[$0].utf8.lexicographicallyPrecedes(object.keys[$1].utf8) }
            return "{" + order.map { JSONValue.string(object.keys[$0]).serialized() + ":" + canonicalText(object.values[$0]) }
                .joined(separator: ",") + "}"
        default:
            return value.serialized()
        }
    }
}

/// A definition file that cannot be used, with the file and the reason.
public struct DefinitionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file.
    public let source: String
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
