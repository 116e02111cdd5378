import ArgumentParser
import Foundation
import LedgerCore
import LedgerStorage

/// `runledger backup DEST`: a consistent, compacted copy taken while appends go on.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent, compacted copy of the log to DEST, then verify the copy.",
        discussion: "Safe while a server appends: the copy is one MVCC snapshot. DEST must not hold a data.mdb yet."
    )

    @OptionGroup var dataOptions: DataOptions

    @Argument(help: "The destination directory (created if missing).")
    var destination: String

    @Flag(help: "Skip verifying the copy.")
    var noVerify = false

    func run() async throws {
        let log: EventLog
        do {
            var options = EventLog.Options()
            options.readOnly = true
            log = try EventLog.open(directory: dataOptions.data, options: options)
        } catch {
            throw CommandFailure(message: "cannot open '\(dataOptions.data)': \(error)", exitCode: 2)
        }
        defer { log.close() }
        let started = Date()
        try log.backup(to: destination)
        let seconds = Date().timeIntervalSince(started)
        var copyOptions = EventLog.Options()
        copyOptions.readOnly = true
        let copy = try EventLog.open(directory: destination, options: copyOptions)
        defer { copy.close() }
        let head = try copy.head()
        Console.out(String(format: "backup: %@ (%llu events) in %.2f s", destination, head.sequence, seconds))
        guard !noVerify else { return }
        let report = try copy.verify()
        if let failure = report.failure {
            throw CommandFailure(message: "the backup does not verify: \(failure)", exitCode: 1)
        }
        Console.out("verified: \(report.eventsVerified) events, head \(report.headLink.hex)")
    }
}
