import HTTPTypes
import Foundation
public import GoldenJSON
public import Rules

/// Loads certification-JSON definitions (`projections/NAME.json`) and compiles ad-hoc rules, with 4xx answers.
public struct GoldenDefinitionLoader: Sendable {
    /// A compiled definition: its name, rule and dataset-name filter.
    public struct Definition: Sendable {
        public var name: String
        public var rule: CompiledRule
        public var filter: DatasetNameFilter
    }

    /// The folder of definitions.
    public let directory: String

    /// A loader over `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// The names of the definitions in the folder, sorted.
    public func names() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads and compiles the definition `name`.
    public func load(_ name: String) throws(APIError) -> Definition {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }), !name.hasPrefix(".") else {
            throw .badRequest("projection name '\(name)' may only contain letters, digits, '-', '_' and '.'")
        }
        let path = directory + "/" + name + ".json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .notFound("there is no certification-JSON definition '\(name)'; known: \(names().joined(separator: ", "))")
        }
        let value: JSONValue
        do { value = try JSONValue.parse(Array(data)) } catch {
            throw APIError(.internalServerError, "bad_definition", "\(path): \(error)")
        }
        guard let rule = value["rule"], let filter = value["dataset_name_filter"]?.stringValue else {
            throw APIError(.internalServerError, "bad_definition", "\(path) needs \"rule\" and \"dataset_name_filter\"")
        }
        return try Self.compile(name: name, rule: rule, filter: filter)
    }

    /// Compiles a rule (in certification mode) and a `SIMILAR TO` filter, answering 422 with the reason when either is bad.
    public static func compile(name: String, rule: JSONValue, filter: String) throws(APIError) -> Definition {
        let compiled: CompiledRule
        do { compiled = try CompiledRule(rule, options: .runRegistry) } catch {
            throw .unprocessable("invalid_rule", "the rule is not valid: \(error)")
        }
        let nameFilter: DatasetNameFilter
        do { nameFilter = try DatasetNameFilter(filter) } catch {
            throw .unprocessable("invalid_filter", "\(error)")
        }
        return Definition(name: name, rule: compiled, filter: nameFilter)
    }
}
