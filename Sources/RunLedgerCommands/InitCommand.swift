import ArgumentParser
import Foundation
import LedgerCore
import LedgerStorage

/// `runledger init`: creates an empty log, or reports the existing one.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an empty event log in --data; an existing log is left as it is."
    )

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let existed = FileManager.default.fileExists(atPath: dataOptions.data + "/data.mdb")
        let log: EventLog
        do {
            log = try EventLog.open(directory: dataOptions.data)
        } catch {
            throw CommandFailure(message: "cannot open '\(dataOptions.data)': \(error)", exitCode: 2)
        }
        defer { log.close() }
        let head = try log.head()
        if existed {
            Console.out("init: '\(dataOptions.data)' already holds a log with \(head.sequence) events; left unchanged")
        } else {
            Console.out("init: created an empty log in '\(dataOptions.data)'")
        }
    }
}
