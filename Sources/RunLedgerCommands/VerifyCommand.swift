import ArgumentParser
import Foundation
import LedgerCore
import LedgerStorage

/// `runledger verify`: recomputes the hash chain and decodes every record.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain and decode every event; print the count and the head hash.",
        discussion: """
            Exits 0 when the log is intact. On a chain mismatch, an undecodable record, a gap or a corrupt
            page it prints the first bad sequence and exits 1. The scan runs in a child process, so even
            a page corrupt enough to crash the storage engine is reported, not crashed on.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Worker threads for the scan (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @Flag(help: .hidden)
    var inProcess = false

    func run() async throws {
        if inProcess {
            throw runInProcess()
        }
        throw runIsolated()
    }

    /// Verifies in this process and prints the result.
    private func runInProcess() -> ExitCode {
        let log: EventLog
        do {
            var options = EventLog.Options()
            options.readOnly = true
            log = try EventLog.open(directory: dataOptions.data, options: options)
        } catch {
            return fail("cannot open '\(dataOptions.data)': \(error)", code: 2)
        }
        let report: VerificationReport
        do {
            report = try log.verify(workers: max(1, workers)) { done in
                Console.progress("verify: \(done) events")
                if !Console.stderrIsTerminal { Console.err("progress \(done)") }
            }
            Console.endProgress()
        } catch {
            Console.endProgress()
            return fail("verify failed on '\(dataOptions.data)': \(error)", code: 1)
        }
        if json {
            var j = JSONText()
            j.beginObject()
            j.key("ok"); j.bool(report.isValid)
            j.key("events"); j.int(report.eventsVerified)
            j.key("head_sequence"); j.int(report.headSequence)
            j.key("head_hash"); j.string(report.headLink.hex)
            if let f = report.failure {
                j.key("first_bad_sequence"); j.int(f.sequence)
                j.key("error"); j.string(f.message)
            }
            j.key("seconds"); j.double(report.seconds)
            j.endObject()
            Console.out(j.text)
        }
        if let failure = report.failure {
            if !json {
                Console.out("FAILED after \(report.eventsVerified) good events")
                Console.out("first bad sequence: \(failure.sequence)")
            }
            return fail("verify: \(failure.message) (first bad sequence \(failure.sequence))", code: 1)
        }
        if !json {
            Console.out("ok: \(report.eventsVerified) events verified")
            Console.out("head: \(report.headSequence) \(report.headLink.hex)")
        }
        return .success
    }

    /// Runs the scan in a child process and reports a crash of that child as corruption.
    private func runIsolated() -> ExitCode {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        var arguments = ["verify", "--in-process", "--data", dataOptions.data, "--workers", String(workers)]
        if json { arguments.append("--json") }
        child.arguments = arguments
        let errPipe = Pipe()
        child.standardError = errPipe
        let lastProgress = LastLine()
        errPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            lastProgress.consume(data)
        }
        do {
            try child.run()
        } catch {
            return fail("cannot start the verification process: \(error)", code: 2)
        }
        child.waitUntilExit()
        Console.endProgress()
        errPipe.fileHandleForReading.readabilityHandler = nil
        lastProgress.consume(errPipe.fileHandleForReading.readDataToEndOfFile())
        lastProgress.flushErrors()
        if child.terminationReason == .uncaughtSignal {
            let done = lastProgress.progress
            return fail(
                "verify: the storage engine crashed (signal \(child.terminationStatus)) while reading '\(dataOptions.data)': a page is corrupt. At most \(done) events were confirmed before it; first bad sequence: \(done + 1) or earlier",
                code: 1)
        }
        return ExitCode(child.terminationStatus)
    }
}

/// Collects a child's standard error: passes error lines through and remembers the last progress count.
final class LastLine: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    private(set) var progress: UInt64 = 0
    private var errors: [String] = []

    func consume(_ data: Data) {
        lock.lock()
        defer { lock.unlock() }
        buffer.append(data)
        while let newline = buffer.firstIndex(of: 10) {
            let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
            buffer.removeSubrange(buffer.startIndex...newline)
            if line.hasPrefix("progress "), let n = UInt64(line.dropFirst(9)) {
                progress = max(progress, n)
                Console.progress("verify: \(progress) events")
            } else if !line.isEmpty {
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }
    }

    func flushErrors() {
        lock.lock()
        defer { lock.unlock() }
        if !buffer.isEmpty {
            FileHandle.standardError.write(buffer)
            buffer.removeAll()
        }
    }
}
