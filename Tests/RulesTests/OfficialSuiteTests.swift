import Rules
import Testing

/// The shared JsonLogic test suite (jsonlogic.com/tests.json), run in full.
struct OfficialSuiteTests {
    @Test func everyCaseOfTheOfficialSuitePasses() throws {
        let suite = try Fixtures.json(try Fixtures.sharedData("jsonlogic/tests.json"))
        let entries = try #require(suite.arrayValue)
        var cases = 0
        var failures: [String] = []
        for entry in entries {
            if entry.stringValue != nil { continue }  // section comment
            let triple = try #require(entry.arrayValue)
            try #require(triple.count == 3, "not a [rule, data, expected] triple: \(entry)")
            cases += 1
            let (rule, data, expected) = (triple[0], triple[1], triple[2])
            do {
                let compiled = try CompiledRule(rule)
                let result = try compiled.evaluate(data)
                if result != expected {
                    failures.append("\(rule) with \(data): expected \(expected), got \(result)")
                }
            } catch {
                failures.append("\(rule) with \(data): threw \(error)")
            }
        }
        #expect(cases == 277)
        #expect(failures.isEmpty, "\(failures.count) failing cases:\n\(failures.joined(separator: "\n"))")
    }

    @Test func everyCasePassesThroughTheSlotInputToo() throws {
        let suite = try Fixtures.json(try Fixtures.sharedData("jsonlogic/tests.json"))
        var failures: [String] = []
        for entry in suite.arrayValue ?? [] {
            guard let triple = entry.arrayValue, triple.count == 3 else { continue }
            let compiled = try CompiledRule(triple[0])
            if compiled.hasDynamicVariables { continue }  // computed paths need the whole data
            if compiled.variablePaths.contains(where: \.isWholeData) { continue }
            let values = VariableValues(for: compiled) { triple[1].value(at: $0) }
            let result = try compiled.evaluate(input: values)
            if result != triple[2] { failures.append("\(triple[0]): expected \(triple[2]), got \(result)") }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
