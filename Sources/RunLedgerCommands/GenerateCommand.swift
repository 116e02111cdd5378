import ArgumentParser
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage

/// `runledger generate`: writes the reference workload.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic, deterministic certification history through the real command path.",
        discussion: """
            Profiles: small (about 40 runs, seconds), year (about 2,000 runs, the benchmark default),
            decade (ten years). The same seed gives the same events and the same chain head in
            `runledger verify`. The data directory must be empty.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "small, year or decade.")
    var profile: String = "small"

    @Option(help: "The seed; the same seed gives the same history.")
    var seed: UInt64 = 1

    func run() async throws {
        guard let chosen = WorkloadGenerator.Profile(rawValue: profile) else {
            throw ValidationError("unknown profile '\(profile)'; choose small, year or decade")
        }
        if FileManager.default.fileExists(atPath: dataOptions.data + "/data.mdb") {
            var readOnly = EventLog.Options()
            readOnly.readOnly = true
            let existing = try EventLog.open(directory: dataOptions.data, options: readOnly)
            let head = try existing.head().sequence
            existing.close()
            if head > 0 {
                throw CommandFailure(
                    message: "'\(dataOptions.data)' already holds \(head) events; generate needs an empty data directory",
                    exitCode: 2)
            }
        }
        let log = try EventLog.open(directory: dataOptions.data)
        defer { log.close() }
        let started = Date()
        let summary = try WorkloadGenerator(profile: chosen, seed: seed).generate(into: log) { done, total in
            Console.progress("generate: \(done)/\(total) runs")
        }
        Console.endProgress()
        let seconds = Date().timeIntervalSince(started)
        let head = try log.head()
        Console.out(
            String(
                format: "generated profile %@ (seed %llu): %d runs, %d events in %d batches, %.1f s (%.0f events/s)",
                chosen.rawValue, seed, summary.runs, summary.events, summary.batches, seconds,
                Double(summary.events) / max(seconds, 1e-9)))
        if summary.refusedCommands > 0 {
            Console.out("refused by the domain and skipped: \(summary.refusedCommands) actions, for example:")
            for example in summary.refusalExamples.prefix(5) { Console.out("  " + example) }
        }
        Console.out("head: \(head.sequence) \(head.link.hex)")
        Console.out("")
        Console.out("type                                  count")
        for (type, count) in summary.eventCounts.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
            Console.out(type.padding(toLength: max(36, type.count), withPad: " ", startingAt: 0) + "  " + String(count))
        }
    }
}
