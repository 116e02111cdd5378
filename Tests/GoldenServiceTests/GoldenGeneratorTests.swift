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

let sharedData: URL = {
    var dir = URL(fileURLWithPath: #filePath)
    while dir.path != "/" {
        dir.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { break }
    }
    return dir.deletingLastPathComponent().appendingPathComponent("shared/data")
}()

@Suite struct GoldenGeneratorTests {
    /// The nine official 2016 files, oldest first: six PromptReco versions, two re-recos, the legacy file.
    static let history2016 = [
        "Cert_271036-273730_13TeV_PromptReco_Collisions16_JSON.txt",
        "Cert_271036-275125_13TeV_PromptReco_Collisions16_JSON.txt",
        "Cert_271036-277148_13TeV_PromptReco_Collisions16_JSON.txt",
        "Cert_271036-277933_13TeV_PromptReco_Collisions16_JSON.txt",
        "Cert_271036-280385_13TeV_PromptReco_Collisions16_JSON.txt",
        "Cert_271036-282092_13TeV_PromptReco_Collisions16_JSON.txt",
        "Cert_271036-284044_13TeV_23Sep2016ReReco_Collisions16_JSON.txt",
        "Cert_271036-284044_13TeV_ReReco_07Aug2017_Collisions16_JSON.txt",
        "Cert_271036-284044_13TeV_Legacy2016_Collisions16_JSON.txt",
    ]

    @Test func the2016HistoryRegeneratesEveryVersionAsOfItsImport() async throws {
        let path = NSTemporaryDirectory() + "runledger-golden-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try EventLog.open(directory: path)
        defer { log.close() }
        var versions: [(file: String, sequence: UInt64, list: CertificationList)] = []
        for file in Self.history2016 {
            let data = try Data(contentsOf: sharedData.appendingPathComponent("golden/" + file))
            let list = try CertificationList.parse(Array(data), source: file)
            var session = CommandSession(
                log: log, context: CommandContext(actor: "dc-expert", actorKind: .automatic, time: LedgerTimestamp(seconds: 1_500_000_000)))
            _ = try CertificationJSONImporter(
                datasetName: "/ReReco/Run2016-v1/DQM", components: ["cms-cms"], list: list, reason: "not in \(file)",
                rule: file
            ).plan(into: &session)
            let result = try await session.commit(reason: "import \(file)")
            let sequence: UInt64
            if let result { sequence = result.lastSequence } else { sequence = try log.head().sequence }
            versions.append((file, sequence, list))
        }
        let store = try ViewStore.open(directory: path + "/views")
        let runtime = try ProjectionRuntime(log: log, store: store)
        try runtime.catchUp()
        let generator = GoldenGenerator(queries: ViewQueries(runtime: runtime))
        let rule = try CompiledRule(parsing: #"{"==": [{"var": "lumisection.rr.cms-cms"}, "GOOD"]}"#, options: .runRegistry)
        let filter = try DatasetNameFilter("/ReReco/Run2016%")
        var first: [UInt8] = []
        for version in versions {
            let golden = try generator.generate(rule: rule, filter: filter, asOf: version.sequence)
            #expect(golden.certified == version.list, "as of \(version.file)")
            #expect(golden.link == (try log.read { try $0.link(at: version.sequence) }))
            if first.isEmpty { first = golden.certified.canonicalBytes }
        }
        // Same inputs, same bytes: the first version again, after all later ones were appended.
        let again = try generator.generate(rule: rule, filter: filter, asOf: versions[0].sequence)
        #expect(again.certified.canonicalBytes == first)
        // The head link recomputed from the chain equals the stored head.
        #expect(try log.read { try $0.link(at: log.head().sequence) } == log.head().link)
    }

    @Test func linkAtEverySequenceMatchesTheChainFromGenesis() async throws {
        let path = NSTemporaryDirectory() + "runledger-links-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try EventLog.open(directory: path)
        defer { log.close() }
        _ = try WorkloadGenerator(profile: .small, seed: 4).generate(into: log)
        let (expected, actual): ([ChainHash], [ChainHash]) = try log.read { s in
            var link = ChainHash.genesis
            var expected: [ChainHash] = []
            var actual: [ChainHash] = []
            try s.forEachEvent(from: 1) { e in
                link = link.next(CanonicalEventCodec.encode(e))
                if e.sequence % 97 == 0 || e.sequence < 70 {
                    expected.append(link)
                    actual.append(try s.link(at: e.sequence))
                }
                return true
            }
            return (expected, actual)
        }
        #expect(expected.count > 50)
        #expect(actual == expected)
    }
}

@Suite struct GoldenExplainTests {
    @Test func explainNamesTheFailingClauseAndTheDecisionsItRead() async throws {
        let path = NSTemporaryDirectory() + "runledger-explain-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try EventLog.open(directory: path)
        defer { log.close() }
        func ctx(_ actor: String, _ kind: ActorKind) -> CommandContext {
            CommandContext(actor: actor, actorKind: kind, time: LedgerTimestamp(seconds: 1_700_000_000))
        }
        var oms = CommandSession(log: log, context: ctx("oms-sync", .automatic))
        try oms.execute(.run(355_100, .create(omsAttributes: ["energy": .int(6800)], runClass: "Collisions24", significant: true)))
        try oms.execute(.run(355_100, .setLumisectionCount(100)))
        try await oms.commit(reason: "run creation")
        var bot = CommandSession(log: log, context: ctx("classifier/online@v3", .automatic))
        try bot.execute(.dataset(.online(run: 355_100), .setFlags(component: "dt-dt", range: try LumisectionRange(1, 100), flag: Flag(.good))))
        try await bot.commit(reason: "automatic classification")
        var shifter = CommandSession(log: log, context: ctx("anna@cern.ch", .human))
        try shifter.execute(
            .dataset(.online(run: 355_100), .setFlags(component: "dt-dt", range: try LumisectionRange(40, 60), flag: Flag(.bad, comment: "HV trip in wheel 2", cause: "Hardware"))))
        try await shifter.commit(reason: "shifter check")
        let runtime = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views"))
        try runtime.catchUp()
        let generator = GoldenGenerator(queries: ViewQueries(runtime: runtime))
        let rule = try CompiledRule(
            parsing: #"{"and": [{">=": [{"var": "run.oms.energy"}, 6000]}, {"==": [{"var": "lumisection.rr.dt-dt"}, "GOOD"]}]}"#,
            options: .runRegistry)
        let filter = try DatasetNameFilter("online")
        let inside = try generator.explain(rule: rule, filter: filter, run: 355_100, lumisection: 50, asOf: runtime.checkpoint)
        #expect(inside.count == 1)
        #expect(inside[0].certified == false)
        #expect(inside[0].clauses.map(\.passed) == [true, false])
        let dt = inside[0].inputs.first { $0.path == "lumisection.rr.dt-dt" }
        #expect(dt?.value == .string("BAD"))
        #expect(dt?.decidedBy?.actor == "anna@cern.ch")
        #expect(dt?.decidedBy?.reason == "shifter check")
        let energy = inside[0].inputs.first { $0.path == "run.oms.energy" }
        #expect(energy?.value == .number(6800))
        #expect(energy?.decidedBy?.actor == "oms-sync")
        let outside = try generator.explain(rule: rule, filter: filter, run: 355_100, lumisection: 70, asOf: runtime.checkpoint)
        #expect(outside[0].certified)
        #expect(outside[0].inputs.first { $0.path == "lumisection.rr.dt-dt" }?.decidedBy?.actor == "classifier/online@v3")
        // The generated JSON agrees with the explanations.
        let golden = try generator.generate(rule: rule, filter: filter, asOf: runtime.checkpoint)
        #expect(golden.certified.canonicalText == #"{"355100":[[1,39],[61,100]]}"#)
        #expect(throws: LedgerError.self) {
            try generator.explain(rule: rule, filter: filter, run: 355_100, lumisection: 101, asOf: runtime.checkpoint)
        }
    }
}
