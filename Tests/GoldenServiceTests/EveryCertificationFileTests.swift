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

@Suite struct EveryCertificationFileTests {
    static let files: [String] = {
        let folder = sharedData.appendingPathComponent("golden").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".txt") }.sorted()
    }()

    @Test(arguments: files)
    func importedFileComesBackFromTheGoldenGenerator(file: String) async throws {
        let data = try Data(contentsOf: sharedData.appendingPathComponent("golden/" + file))
        let list = try CertificationList.parse(Array(data), source: file)
        let path = NSTemporaryDirectory() + "runledger-every-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try EventLog.open(directory: path)
        defer { log.close() }
        var session = CommandSession(
            log: log, context: CommandContext(actor: "importer/certjson", actorKind: .automatic, time: LedgerTimestamp(seconds: 1_600_000_000)))
        _ = try CertificationJSONImporter(
            datasetName: "/PromptReco/Collisions2018A/DQM", components: ["tracker-strip"], list: list, reason: "not in \(file)",
            rule: file
        ).plan(into: &session)
        try await session.commit(reason: "import \(file)")
        let runtime = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views"))
        try runtime.catchUp()
        let generator = GoldenGenerator(queries: ViewQueries(runtime: runtime))
        let rule = try CompiledRule(parsing: #"{"==": [{"var": "lumisection.rr.tracker-strip"}, "GOOD"]}"#, options: .runRegistry)
        let filter = try DatasetNameFilter("/PromptReco/Collisions2018_/DQM")
        let first = try generator.generate(rule: rule, filter: filter, asOf: runtime.checkpoint)
        #expect(first.certified == list, "\(file)")
        let second = try generator.generate(rule: rule, filter: filter, asOf: runtime.checkpoint)
        #expect(second.certified.canonicalBytes == first.certified.canonicalBytes)
    }
}
