import Certification
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage
import Testing

@Suite struct OMSImportTests {
    /// Converts the real 2018 OMS Parquet exports with tools/converters (pyarrow from tools/setup's .venv).
    static func convertedRealExport() throws -> [UInt8] {
        let python = packageRoot.appendingPathComponent(".venv/bin/python").path
        let script = packageRoot.appendingPathComponent("tools/converters/oms_parquet_to_ndjson.py").path
        let out = NSTemporaryDirectory() + "oms-\(UUID().uuidString).ndjson"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            script, "--runs", sharedData.appendingPathComponent("runregistry/run_df.parquet").path,
            "--lumisections", sharedData.appendingPathComponent("runregistry/ls_df.parquet").path, "--out", out,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CertificationError(.invalidArgument, "converter failed; run tools/setup") }
        return Array(try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    @Test func realOMSExportImportsEveryRunAndBit() async throws {
        let bytes = try Self.convertedRealExport()
        let importer = try OMSImporter(ndjson: bytes, source: "oms.ndjson")
        #expect(importer.runs.count == 1231)
        let withLS = importer.runs.filter { !$0.bits.isEmpty }
        // Lumisections present in the export: those with at least one non-null bit (the converter
        // fills gaps inside a run with nulls).
        let present = withLS.reduce(0) { total, run in
            let n = run.bits.values.first?.count ?? 0
            return total + (0..<n).filter { i in run.bits.values.contains { $0[i] != nil } }.count
        }
        #expect(present == 100_000)
        try await withTemporaryLog { log in
            var s = session(log)
            var index = 0
            while index < importer.runs.count {
                _ = try importer.plan(importer.runs[index..<min(index + 300, importer.runs.count)], into: &s)
                try await s.commit(reason: "oms import")
                index += 300
            }
            // Spot-check one run against its raw facts.
            let sample = withLS[withLS.count / 2]
            var reader = session(log)
            let run = try reader.run(sample.run)
            #expect(run.exists)
            #expect(run.lumisectionCount == sample.lumisections)
            #expect(run.omsAttributes["fill_number"] == sample.attributes["fill_number"])
            #expect(try log.verify().isValid)
        }
    }

    @Test func malformedLineNamesTheLineAndAppendsNothing() {
        let text = """
            {"kind":"run","run_number":5,"lumisections":3,"attributes":{}}
            {"kind":"lumisections","run_number":5,"first_ls":1,"last_ls":3,"bits":{"cms_active":[true,false]}}
            """
        let error = #expect(throws: CertificationError.self) {
            try OMSImporter(ndjson: Array(text.utf8), source: "oms.ndjson")
        }
        #expect(error?.message.contains("oms.ndjson:2") == true)
        #expect(error?.message.contains("bits.cms_active has 2 entries, expected 3") == true)
        let notJSON = #expect(throws: CertificationError.self) {
            try OMSImporter(ndjson: Array("{\"kind\":\"run\"\n".utf8), source: "x.ndjson")
        }
        #expect(notJSON?.message.contains("x.ndjson:1") == true)
    }
}
