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
        try runledger(["golden"] + arguments)
    }

    /// Runs `runledger COMMAND --projections-directory <repo>/projections ARGS...`; COMMAND is the first
    /// argument, or the first two when `subcommand` is set (`plot lumi`).
    private func runledger(_ arguments: [String], subcommand: Bool = false) throws -> (status: Int32, out: Data, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: runledgerExecutable)
        let command = Array(arguments.prefix(subcommand ? 2 : 1))
        process.arguments = command + ["--projections-directory", Self.packageRoot.appendingPathComponent("projections").path]
            + arguments.dropFirst(command.count)
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

    @Test func plotLumiWritesAnSVGWhoseCertifiedTotalIsTheProjectionsRecordedLuminosity() async throws {
        try await withLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: 3).generate(into: log)
            log.close()
            let svg = path + "/lumi.svg"
            let plot = try runledger(["plot", "lumi", "--data", path, "--class", "Collisions24", "--out", svg], subcommand: true)
            #expect(plot.status == 0, "\(plot.err)")
            let text = try String(contentsOfFile: svg, encoding: .utf8)
            #expect(text.hasPrefix("<svg"))
            for series in ["delivered", "recorded", "certified"] { #expect(text.contains("data-series=\"\(series)\"")) }
            let golden = try golden(["--projection", "golden-collisions", "--data", path])
            #expect(golden.status == 0)
            // The metadata line on stderr carries recorded_in (/pb); the plot prints its certified total (/pb).
            let recordedIn = golden.err.components(separatedBy: "\"recorded_in\":").dropFirst().first.map { String($0.prefix { $0 == "." || $0.isNumber }) }
            let certified = String(decoding: plot.out, as: UTF8.self).components(separatedBy: "certified ").last.map { String($0.prefix { $0 == "." || $0.isNumber }) }
            #expect(recordedIn != nil && certified != nil)
            if let a = recordedIn.flatMap(Double.init), let b = certified.flatMap(Double.init) { #expect(abs(a - b) < 0.001) }
            let bad = try runledger(["plot", "lumi", "--data", path, "--projection", "no-such", "--out", svg], subcommand: true)
            #expect(bad.status == 2)
            #expect(bad.err.contains("no definition 'no-such'"))
            let noClass = try runledger(["plot", "lumi", "--data", path, "--class", "Collisions99", "--out", svg], subcommand: true)
            #expect(noClass.status == 2)
            #expect(noClass.err.contains("no run of class 'Collisions99'") && noClass.err.contains("Collisions24"))
        }
    }

    @Test func definitionsAreRebuiltListedAndServedFromTheirRows() async throws {
        try await withLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: 4).generate(into: log)
            let head = try log.head().sequence
            log.close()
            let rebuilt = try runledger(["rebuild", "--data", path])
            #expect(rebuilt.status == 0, "\(rebuilt.err)")
            let lines = String(decoding: rebuilt.out, as: UTF8.self)
            #expect(lines.contains("certjson/golden-collisions@") && lines.contains("all 4 projections rebuilt"))
            let one = try runledger(["rebuild", "--projection", "tracker-only", "--data", path])
            #expect(one.status == 0)
            #expect(String(decoding: one.out, as: UTF8.self).contains("rebuilt certjson/tracker-only@"))
            let unknown = try runledger(["rebuild", "--projection", "no-such", "--data", path])
            #expect(unknown.status != 0)
            #expect(unknown.err.contains("certification, dcs-only, golden-collisions, tracker-only"))
            let status = try runledger(["projections", "--json", "--data", path])
            let rows = String(decoding: status.out, as: UTF8.self).split(separator: "\n")
            #expect(rows.count == 4)
            for row in rows {
                #expect(row.contains("\"checkpoint\":\(head)") && row.contains("\"lag\":0"), "\(row)")
            }
            #expect(rows.filter { $0.contains("\"projection\":\"certjson/") }.count == 3)
            for name in ["golden-collisions", "dcs-only", "tracker-only"] {
                for extra in [[], ["--anti"], ["--by-dataset"], ["--as-of", String(head / 2)]] {
                    let maintained = try golden(["--projection", name, "--data", path] + extra)
                    let onDemand = try golden(["--projection", name, "--data", path, "--on-demand"] + extra)
                    #expect(maintained.status == 0 && onDemand.status == 0)
                    #expect(maintained.out == onDemand.out, "\(name) \(extra)")
                    #expect(maintained.err.contains("\"source\":\"certjson/\(name)@"))
                    #expect(onDemand.err.contains("\"source\":\"on demand\""))
                }
            }
        }
    }
}
