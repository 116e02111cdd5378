import CertificationService
import Foundation
import LedgerCore
import LedgerStorage
import Testing

@Suite struct GoldenCommandTests {
    static var packageRoot: URL {
        var dir = URL(fileURLWithPath: #filePath)
        while dir.path != "/" {
            dir.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
        }
        return dir
    }

    private func golden(_ arguments: [String]) throws -> (status: Int32, out: Data, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: runledgerExecutable)
        process.arguments = ["golden", "--projections-directory", Self.packageRoot.appendingPathComponent("projections").path] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, o, String(decoding: e, as: UTF8.self))
    }

    @Test func goldenPrintsTheSameCanonicalBytesEveryTimeAndPinsTheVersion() async throws {
        try await withLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: 2).generate(into: log)
            let head = try log.head()
            let early = head.sequence / 3
            let earlyLink = try log.read { try $0.link(at: early) }
            log.close()
            let first = try golden(["--projection", "dcs-only", "--data", path])
            let second = try golden(["--projection", "dcs-only", "--data", path])
            #expect(first.status == 0)
            #expect(first.out == second.out)
            #expect(first.out.first == UInt8(ascii: "{") && first.out.last == UInt8(ascii: "}"))
            #expect(first.err.contains("\"sequence\":\(head.sequence)"))
            #expect(first.err.contains(head.link.hex))
            let past = try golden(["--projection", "dcs-only", "--data", path, "--as-of", String(early)])
            #expect(past.status == 0)
            #expect(past.err.contains("\"sequence\":\(early)"))
            #expect(past.err.contains(earlyLink.hex))
            #expect(past.out != first.out)
            let beyond = try golden(["--projection", "dcs-only", "--data", path, "--as-of", String(head.sequence + 10)])
            #expect(beyond.status == 2)
            #expect(beyond.err.contains("beyond the latest version"))
            let ruleFile = path + "/rule.json"
            try Data(#"{"==": [{"var": "lumisection.oms.cms_active"}, true]}"#.utf8).write(to: URL(fileURLWithPath: ruleFile))
            let badFilter = try golden(["--rule", ruleFile, "--dataset-filter", "(online", "--data", path])
            #expect(badFilter.status == 2)
            #expect(badFilter.err.contains("not closed"))
            let notARule = try golden(["--rule", Self.packageRoot.appendingPathComponent("projections/dcs-only.json").path, "--dataset-filter", "online", "--data", path])
            #expect(notARule.status == 2)
            #expect(notARule.err.contains("must be an operation"))
            let outside = path + "/outside.json"
            try Data(#"{"==": [{"var": "energy"}, 6800]}"#.utf8).write(to: URL(fileURLWithPath: outside))
            let namespace = try golden(["--rule", outside, "--dataset-filter", "online", "--data", path])
            #expect(namespace.status == 2)
            #expect(namespace.err.contains("energy"))
        }
    }
}
