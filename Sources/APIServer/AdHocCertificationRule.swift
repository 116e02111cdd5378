import HTTPTypes
public import GoldenJSON
public import Rules

/// Compiles ad-hoc certification rules and dataset filters (the JSON portal, `POST /v1/golden`), with 422 answers.
public struct AdHocCertificationRule: Sendable {
    /// A compiled definition: its name, rule and dataset-name filter.
    public struct Definition: Sendable {
        public var name: String
        public var rule: CompiledRule
        public var filter: DatasetNameFilter
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
