import ArgumentParser
import Certification
import CertificationJSON
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage

/// `runledger import`: bring certification JSONs and OMS exports into the ledger.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import certification JSON files or OMS exports.",
        subcommands: [CertJSON.self, OMS.self]
    )

    /// Opens the log for writing, with a clear error.
    static func openLog(_ data: String) throws -> EventLog {
        do {
            return try EventLog.open(directory: data)
        } catch {
            throw CommandFailure(message: "cannot open '\(data)': \(error)", exitCode: 2)
        }
    }

    /// `runledger import certjson FILE --dataset NAME --component C ...`
    struct CertJSON: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "certjson",
            abstract: "Import a certification JSON as the complete certification of a dataset for some components.",
            discussion: """
                The listed lumisections become GOOD; every other lumisection of the dataset (in listed runs and in
                runs the dataset already has) becomes BAD with the reason. Missing runs are created. The import is
                one atomic batch: all of it is appended, or nothing.
                """
        )

        @OptionGroup var dataOptions: DataOptions

        @Argument(help: "The certification JSON file ({\"run\": [[first, last], ...]}).")
        var file: String

        @Option(help: "The dataset the file certifies, e.g. /PromptReco/Collisions2016/DQM.")
        var dataset: String

        @Option(name: .customLong("component"), help: "A component the file certifies (repeatable), e.g. dt-dt.")
        var components: [String] = []

        @Option(help: "The identity recorded as the actor.")
        var actor: String = "importer/certjson"

        @Option(help: "Why; also the comment of BAD lumisections (default: names the file).")
        var reason: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure(message: "cannot read '\(file)'", exitCode: 2)
            }
            let name = URL(fileURLWithPath: file).lastPathComponent
            let list: CertificationList
            do {
                list = try CertificationList.parse(Array(data), source: name)
            } catch {
                throw CommandFailure(message: "\(error)", exitCode: 2)
            }
            let log = try ImportCommand.openLog(dataOptions.data)
            defer { log.close() }
            let reason = self.reason ?? "not in certification file \(name)"
            let importer = CertificationJSONImporter(
                datasetName: dataset, components: components, list: list, reason: reason, rule: name)
            var session = CommandSession(
                log: log,
                context: CommandContext(actor: actor, actorKind: .automatic, time: LedgerTimestamp.now, rule: name))
            let summary: CertificationJSONImporter.Summary
            do {
                summary = try importer.plan(into: &session)
            } catch let error as CertificationError {
                throw CommandFailure(message: "\(name): \(error.message); nothing was imported", exitCode: 2)
            }
            let result = try await session.commit(reason: "import of \(name) into \(dataset)")
            Console.out(
                "imported \(name) into \(dataset) (\(components.joined(separator: ", "))): \(summary.runsInFile) runs in the file, \(summary.runsCreated) created, \(summary.runsExtended) extended, \(summary.runsOnlyInLedger) only in the ledger; \(summary.flagEvents) flag changes"
            )
            if let result {
                Console.out("appended \(result.lastSequence - result.firstSequence + 1) events: \(result.firstSequence)...\(result.lastSequence)")
            } else {
                Console.out("nothing changed: the ledger already holds this certification")
            }
        }
    }

    /// `runledger import oms FILE`
    struct OMS: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "oms",
            abstract: "Import OMS run attributes and per-lumisection facts (NDJSON, see design/oms-import.md).",
            discussion: """
                The whole file is checked first; a malformed line appends nothing. The import then commits in
                chunks of runs; if a chunk fails, the command says which runs were imported and how to resume.
                """
        )

        @OptionGroup var dataOptions: DataOptions

        @Argument(help: "The NDJSON file (tools/converters/oms_parquet_to_ndjson.py writes it).")
        var file: String

        @Option(help: "Runs per atomic chunk.")
        var chunk: Int = 200

        @Option(help: "Skip runs before this one (to resume an interrupted import).")
        var fromRun: Int?

        @Option(help: "The identity recorded as the actor.")
        var actor: String = "importer/oms"

        func run() async throws {
            guard chunk >= 1 else { throw ValidationError("--chunk must be at least 1") }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure(message: "cannot read '\(file)'", exitCode: 2)
            }
            let name = URL(fileURLWithPath: file).lastPathComponent
            let importer: OMSImporter
            do {
                importer = try OMSImporter(ndjson: Array(data), source: name)
            } catch {
                throw CommandFailure(message: "\(error.message); nothing was imported", exitCode: 2)
            }
            let log = try ImportCommand.openLog(dataOptions.data)
            defer { log.close() }
            let runs = importer.runs.filter { $0.run >= (fromRun ?? 0) }
            var session = CommandSession(
                log: log, context: CommandContext(actor: actor, actorKind: .automatic, time: .now, rule: "oms-import"))
            var total = OMSImporter.Summary()
            var events = 0
            var index = 0
            while index < runs.count {
                let slice = runs[index..<min(index + chunk, runs.count)]
                do {
                    session.context.time = .now
                    let summary = try importer.plan(slice, into: &session)
                    try await session.commit(reason: "OMS import of \(name), runs \(slice.first!.run)–\(slice.last!.run)")
                    total.runs += summary.runs
                    total.runsCreated += summary.runsCreated
                    total.lumisections += summary.lumisections
                    events += summary.events
                } catch {
                    let done = index == 0 ? "no runs were imported" : "runs up to \(runs[index - 1].run) were imported"
                    throw CommandFailure(
                        message: "\(name): \(error); \(done). Resume with --from-run \(slice.first!.run)", exitCode: 1)
                }
                index += chunk
                Console.progress("import oms: \(min(index, runs.count))/\(runs.count) runs")
            }
            Console.endProgress()
            Console.out(
                "imported \(name): \(total.runs) runs (\(total.runsCreated) created), \(total.lumisections) lumisections, \(events) events")
        }
    }
}

extension LedgerTimestamp {
    /// The current time.
    static var now: LedgerTimestamp {
        LedgerTimestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
    }
}
