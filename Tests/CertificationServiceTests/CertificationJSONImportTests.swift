import Certification
import CertificationJSON
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage
import Testing

@Suite struct CertificationJSONImportTests {
    static let files: [String] = {
        let folder = sharedData.appendingPathComponent("golden").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".txt") }.sorted()
    }()

    @Test func everyRealFileIsFound() {
        #expect(Self.files.count >= 28)
    }

    @Test(arguments: files)
    func importRoundTripGivesBackTheFilesLumisections(file: String) async throws {
        let list = try goldenFile(file)
        try await withTemporaryLog { log in
            var s = session(log)
            let importer = CertificationJSONImporter(
                datasetName: "/ReReco/Run2016B-v1/DQM", components: ["tracker-strip"], list: list,
                reason: "not in \(file)", rule: file)
            let summary = try importer.plan(into: &s)
            #expect(summary.runsInFile == list.runs.count)
            try await s.commit(reason: "import \(file)")
            for component in ["tracker-strip"] {
                let good = try goodLumisections(log, dataset: "/ReReco/Run2016B-v1/DQM", component: component)
                #expect(good == list, "\(file) \(component)")
            }
            #expect(try log.verify().isValid)
        }
    }

    @Test func laterVersionLeavesExactlyThatVersion() async throws {
        let history = [
            "Cert_271036-273730_13TeV_PromptReco_Collisions16_JSON.txt",
            "Cert_271036-275125_13TeV_PromptReco_Collisions16_JSON.txt",
            "Cert_271036-284044_13TeV_23Sep2016ReReco_Collisions16_JSON.txt",
            "Cert_271036-282092_13TeV_PromptReco_Collisions16_JSON.txt",
        ]
        try await withTemporaryLog { log in
            for file in history {
                let list = try goldenFile(file)
                var s = session(log)
                _ = try CertificationJSONImporter(
                    datasetName: "/PromptReco/Collisions2016/DQM", components: ["cms-cms"], list: list,
                    reason: "not in \(file)", rule: file
                ).plan(into: &s)
                try await s.commit(reason: "import \(file)")
                let good = try goodLumisections(log, dataset: "/PromptReco/Collisions2016/DQM", component: "cms-cms")
                #expect(good == list, "after \(file)")
            }
            // Re-importing the same version with the same reason changes nothing.
            let last = try goldenFile(history.last!)
            var s = session(log)
            let summary = try CertificationJSONImporter(
                datasetName: "/PromptReco/Collisions2016/DQM", components: ["cms-cms"], list: last,
                reason: "not in \(history.last!)", rule: "again"
            ).plan(into: &s)
            #expect(summary.flagEvents == 0)
            #expect(s.pending.count == 0)
        }
    }

    @Test func everyListedComponentGetsTheSameCertification() async throws {
        let list = try goldenFile("Cert_271036-275125_13TeV_PromptReco_Collisions16_JSON.txt")
        try await withTemporaryLog { log in
            var s = session(log)
            _ = try CertificationJSONImporter(
                datasetName: "/PromptReco/Collisions2016/DQM", components: ["dt-dt", "tracker-pixel", "ecal-es"],
                list: list, reason: "not golden", rule: "f"
            ).plan(into: &s)
            try await s.commit(reason: "import")
            for component in ["dt-dt", "tracker-pixel", "ecal-es"] {
                #expect(try goodLumisections(log, dataset: "/PromptReco/Collisions2016/DQM", component: component) == list)
            }
            #expect(try goodLumisections(log, dataset: "/PromptReco/Collisions2016/DQM", component: "hcal-hcal").runs.isEmpty)
        }
    }

    @Test func runsMissingFromALaterVersionBecomeBadWithTheReason() async throws {
        try await withTemporaryLog { log in
            let v1 = try CertificationList.parse(Array(#"{"300001":[[1,10]],"300002":[[1,5]]}"#.utf8), source: "v1")
            let v2 = try CertificationList.parse(Array(#"{"300001":[[3,10]]}"#.utf8), source: "v2")
            for (list, name) in [(v1, "v1"), (v2, "v2")] {
                var s = session(log)
                _ = try CertificationJSONImporter(
                    datasetName: "/Express/Collisions2024/DQM", components: ["dt-dt"], list: list,
                    reason: "not certified in \(name)", rule: name
                ).plan(into: &s)
                try await s.commit(reason: name)
            }
            var reader = session(log)
            let run2 = try reader.dataset(DatasetKey(run: 300002, name: "/Express/Collisions2024/DQM"))
            let flag = run2.flags.flag(component: "dt-dt", at: 3)
            #expect(flag?.status == .bad)
            #expect(flag?.comment == "not certified in v2")
            let run1 = try reader.dataset(DatasetKey(run: 300001, name: "/Express/Collisions2024/DQM"))
            #expect(run1.flags.flag(component: "dt-dt", at: 2)?.status == .bad)
            #expect(run1.flags.flag(component: "dt-dt", at: 3)?.status == .good)
        }
    }

    @Test func badDatasetNameOrComponentAppendsNothing() async throws {
        try await withTemporaryLog { log in
            let list = try goldenFile("Cert_271036-273730_13TeV_PromptReco_Collisions16_JSON.txt")
            for (dataset, component) in [("PromptReco2016", "dt-dt"), ("/PromptReco/Collisions2016/DQM", "dt")] {
                var s = session(log)
                #expect(throws: CertificationError.self) {
                    try CertificationJSONImporter(
                        datasetName: dataset, components: [component], list: list, reason: "bad input", rule: "x"
                    ).plan(into: &s)
                }
            }
            #expect(try log.head().sequence == 0)
        }
    }
}
