public import ArgumentParser
import Foundation
import LedgerCore
import LedgerStorage

/// The `runledger` command: the root that lists every subcommand.
public struct RunLedgerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "runledger",
        abstract: "RunLedger: an event-sourced certification ledger for CMS data quality.",
        discussion: """
            Every flag change, sign-off and comment is an immutable, hash-chained event in one log.
            Data lives in --data (default ./data).
            """,
        subcommands: [
            InitCommand.self, GenerateCommand.self, ImportCommand.self, AuditCommand.self, GoldenCommand.self,
            RebuildCommand.self,
            ProjectionsCommand.self, CatchUpCommand.self, ServeCommand.self, PlotCommand.self, VerifyCommand.self, LogCommand.self, BackupCommand.self, BenchCommand.self, AppendLoopCommand.self, HoldReaderCommand.self,
        ]
    )

    public init() {}
}

/// The `--data DIR` option shared by every command that opens a log.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory.")
    var data: String = "./data"
}

/// Writes to standard output and standard error without buffering surprises.
enum Console {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Whether standard error is a terminal, so progress may be drawn.
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Draws a progress line on a terminal (overwritten in place); silent otherwise.
    static func progress(_ text: String) {
        guard stderrIsTerminal else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    /// Ends a progress line.
    static func endProgress() {
        guard stderrIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// A failure that the CLI reports as one clear line and a non-zero exit code.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32
    var description: String { message }
}

extension ParsableCommand {
    /// Prints `message` as an error and exits with `code`.
    func fail(_ message: String, code: Int32 = 1) -> ExitCode {
        Console.err("error: " + message)
        return ExitCode(code)
    }
}

extension RunLedgerCommand {
    /// Parses the command line, runs the command, and turns errors into one `error:` line and an
    /// exit code: 1 for failures, 2 for unusable input or data directories, ArgumentParser's codes
    /// for usage errors.
    public static func runMain(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let failure as CommandFailure {
            Console.err("error: " + failure.message)
            Foundation.exit(failure.exitCode)
        } catch let error as LedgerError {
            Console.err("error: " + error.message)
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

/// Turns `--as-of` text, a log sequence or an ISO 8601 time, into a log sequence no later than
/// the head (a time means the last sequence recorded at or before it). Shared by every command
/// that answers "as of".
func resolveAsOfSequence(_ text: String, in log: EventLog) throws -> UInt64 {
    let head = try log.head().sequence
    if let sequence = UInt64(text) {
        guard sequence <= head else {
            throw CommandFailure(message: "--as-of \(sequence) is beyond the latest version \(head) (the log's head)", exitCode: 2)
        }
        return sequence
    }
    guard let time = LedgerTimestamp(iso8601: text) else {
        throw ValidationError(
            "--as-of '\(text)' is neither a log sequence nor an ISO 8601 time (e.g. 1200, 2024-05-01 or 2024-05-01T12:00:00Z)")
    }
    return try log.read { try $0.sequence(atOrBefore: time) }
}
