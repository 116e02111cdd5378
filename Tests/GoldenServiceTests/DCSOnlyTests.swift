import Certification
import CertificationJSON
import CertificationService
import Foundation
import GoldenJSON
import GoldenService
import LedgerCore
import LedgerStorage
import Projections
import Rules
import Testing

@Suite struct DCSOnlyTests {
    static let bits = ["cms_active", "beam1_stable", "beam2_stable", "bpix_ready", "fpix_ready", "tibtid_ready", "tob_ready", "tecp_ready", "tecm_ready"]

    static var packageRoot: URL {
        var dir = URL(fileURLWithPath: #filePath)
        while dir.path != "/" {
            dir.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
        }
        return dir
    }

    /// The real 2018 OMS export, through tools/converters (pyarrow from tools/setup's .venv).
    static func convertedExport() throws -> [UInt8] {
        let out = NSTemporaryDirectory() + "oms-\(UUID().uuidString).ndjson"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = packageRoot.appendingPathComponent(".venv/bin/python")
        process.arguments = [
            packageRoot.appendingPathComponent("tools/converters/oms_parquet_to_ndjson.py").path,
            "--runs", sharedData.appendingPathComponent("runregistry/run_df.parquet").path,
            "--lumisections", sharedData.appendingPathComponent("runregistry/ls_df.parquet").path, "--out", out,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CertificationError(.invalidArgument, "converter failed; run tools/setup") }
        return Array(try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    @Test func dcsOnlyRuleReproducesTheSelectionComputedFromTheRawRows() async throws {
        let bytes = try Self.convertedExport()
        // Expected, straight from the rows: every (run, LS) whose nine bits are all true.
        var expected = CertificationList()
        for line in bytes.split(separator: 10) {
            guard let value = try? JSONValue.parse(Array(line)), value["kind"]?.stringValue == "lumisections",
                let run = value["run_number"]?.numberValue, let first = value["first_ls"]?.numberValue,
                let columns = value["bits"]
            else { continue }
            let arrays = Self.bits.map { columns[$0]?.arrayValue ?? [] }
            let n = arrays.map(\.count).min() ?? 0
            for i in 0..<n where arrays.allSatisfy({ $0[i].boolValue == true }) {
                let ls = UInt32(first) + UInt32(i)
                expected.insert(run: UInt32(run), ls...ls)
            }
        }
        #expect(expected.lumisectionCount > 10_000)

        let path = NSTemporaryDirectory() + "runledger-dcs-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try EventLog.open(directory: path)
        defer { log.close() }
        let importer = try OMSImporter(ndjson: bytes, source: "oms.ndjson")
        var session = CommandSession(log: log, context: CommandContext(actor: "importer/oms", actorKind: .automatic, time: LedgerTimestamp(seconds: 1_530_000_000)))
        var index = 0
        while index < importer.runs.count {
            _ = try importer.plan(importer.runs[index..<min(index + 300, importer.runs.count)], into: &session)
            try await session.commit(reason: "oms import")
            index += 300
        }
        let store = try ViewStore.open(directory: path + "/views")
        let runtime = try ProjectionRuntime(log: log, store: store)
        try runtime.catchUp()
        let definition = try JSONValue.parse(Array(try Data(contentsOf: Self.packageRoot.appendingPathComponent("projections/dcs-only.json"))))
        let rule = try CompiledRule(definition["rule"]!, options: .runRegistry)
        #expect(Set(rule.variables) == Set(Self.bits.map { "lumisection.oms.\($0)" }))
        let golden = try GoldenGenerator(queries: ViewQueries(runtime: runtime)).generate(
            rule: rule, filter: try DatasetNameFilter(definition["dataset_name_filter"]!.stringValue!), asOf: runtime.checkpoint)
        #expect(golden.certified == expected)
        #expect(golden.evaluations < 100_000)
    }
}
