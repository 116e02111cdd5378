import ArgumentParser
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage

/// `runledger _append-loop`: appends until killed, recording acknowledged sequences (crash tests).
struct AppendLoopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_append-loop",
        abstract: "Append synthetic batches until killed; after each acknowledged append, record its sequences.",
        shouldDisplay: false
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "File that receives one 'first last' line per acknowledged append.")
    var acked: String

    @Option(help: "Concurrent appenders.")
    var writers: Int = 4

    @Option(help: "The largest batch.")
    var maxBatch: Int = 40

    @Option(help: "Seed.")
    var seed: UInt64 = 1

    func run() async throws {
        let log = try EventLog.open(directory: dataOptions.data)
        _ = FileManager.default.createFile(atPath: acked, contents: nil)
        guard let sink = FileHandle(forWritingAtPath: acked) else {
            throw CommandFailure(message: "cannot write '\(acked)'", exitCode: 2)
        }
        sink.seekToEndOfFile()
        let writer = AckWriter(sink)
        let maxBatch = max(1, self.maxBatch)
        let seed = self.seed
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<max(1, writers) {
                group.addTask {
                    var source = SyntheticFlagEvents(seed: seed &* 1000 &+ UInt64(w))
                    var random = SeededRandom(seed: seed &+ UInt64(w) &* 7919)
                    var counter = 0
                    while true {
                        let size = 1 + Int(random.next() % UInt64(maxBatch))
                        var batch = source.nextBatch(count: size)
                        counter += 1
                        // The key names the batch size, so a checker can prove no batch is partial.
                        batch.idempotencyKey = "loop-\(seed)-\(w)-\(counter)-n\(size)"
                        let result = try await log.append(batch)
                        writer.record(result.firstSequence, result.lastSequence)
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// Appends acknowledgement lines with one `write(2)` each, so a SIGKILL never leaves half a line.
final class AckWriter: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle

    init(_ handle: FileHandle) {
        self.handle = handle
    }

    func record(_ first: UInt64, _ last: UInt64) {
        lock.lock()
        handle.write(Data("\(first) \(last)\n".utf8))
        lock.unlock()
    }
}

/// `runledger _hold-reader`: opens a read snapshot and holds it until killed (stale-reader tests).
struct HoldReaderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_hold-reader", abstract: "Hold a read snapshot open until killed.", shouldDisplay: false)

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        var options = EventLog.Options()
        options.readOnly = true
        let log = try EventLog.open(directory: dataOptions.data, options: options)
        try log.read { snapshot in
            Console.out("holding a snapshot at \(try snapshot.head.sequence)")
            while true { sleep(60) }
        }
    }
}
