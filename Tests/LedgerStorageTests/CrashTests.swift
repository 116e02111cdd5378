import Foundation
import LedgerCore
import LedgerStorage
import Testing

@Suite struct CrashTests {
    /// A child appends continuously and is SIGKILLed at random moments; after each kill, every
    /// acknowledged sequence is present, the chain verifies and no batch is partly visible.
    @Test func acknowledgedAppendsSurviveSIGKILL() async throws {
        try await withTemporaryDirectory { dir in
            let data = dir + "/d"
            let acked = dir + "/acked.txt"
            var random = SystemRandomNumberGenerator()
            var kills = 0
            var previousHead: UInt64 = 0
            for round in 0..<22 {
                let child = Process()
                child.executableURL = URL(fileURLWithPath: runledgerExecutable)
                child.arguments = [
                    "_append-loop", "--data", data, "--acked", acked, "--writers", "4", "--max-batch", "40",
                    "--seed", String(round + 1),
                ]
                child.standardOutput = FileHandle.nullDevice
                child.standardError = FileHandle.nullDevice
                try child.run()
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...450, using: &random)))
                kill(child.processIdentifier, SIGKILL)
                child.waitUntilExit()
                #expect(child.terminationReason == .uncaughtSignal)
                kills += 1

                let log = try EventLog.open(directory: data)
                defer { log.close() }
                let head = try log.head()
                #expect(head.sequence >= previousHead)
                previousHead = head.sequence

                // Every acknowledged batch is present.
                let lines = (try? String(contentsOfFile: acked, encoding: .utf8)) ?? ""
                for line in lines.split(separator: "\n") {
                    let parts = line.split(separator: " ").compactMap { UInt64($0) }
                    guard parts.count == 2 else { continue }
                    #expect(parts[1] <= head.sequence, "acknowledged \(parts[0])...\(parts[1]) but head is \(head.sequence)")
                }
                // The chain verifies.
                let report = try log.verify()
                #expect(report.isValid, "round \(round): \(String(describing: report.failure))")
                // No partial batch: each batch's idempotency key ends in its size, and the log holds
                // exactly that many contiguous events for every key.
                try log.read { s in
                    var currentKey: String?
                    var currentCount = 0
                    func close() {
                        guard let key = currentKey else { return }
                        let size = Int(key.split(separator: "n").last ?? "") ?? -1
                        #expect(size == currentCount, "batch \(key) has \(currentCount) events in the log")
                    }
                    try s.forEachEvent(from: 1) { e in
                        if e.idempotencyKey != currentKey {
                            close()
                            currentKey = e.idempotencyKey
                            currentCount = 0
                        }
                        currentCount += 1
                        return true
                    }
                    close()
                }
            }
            #expect(kills >= 20)
            #expect(previousHead > 0)
            // Acknowledged batches are all complete: each acked range is exactly one batch whose
            // events all carry the same actor, correlation id and time.
            let log = try EventLog.open(directory: data)
            defer { log.close() }
            let lines = try String(contentsOfFile: acked, encoding: .utf8).split(separator: "\n")
            #expect(lines.count > 20)
            try log.read { s in
                for line in lines.prefix(400) {
                    let parts = line.split(separator: " ").compactMap { UInt64($0) }
                    guard parts.count == 2 else { continue }
                    let events = try s.events(from: parts[0], limit: Int(parts[1] - parts[0] + 1))
                    #expect(events.count == Int(parts[1] - parts[0] + 1))
                    #expect(Set(events.map { "\($0.actor)|\($0.recordedAt)|\(String(describing: $0.correlationID))" }).count == 1)
                }
            }
        }
    }

    @Test func staleReaderSlotsOfKilledProcessesAreClearedOnOpen() async throws {
        try await withTemporaryDirectory { dir in
            let data = dir + "/d"
            let log = try EventLog.open(directory: data)
            _ = try await log.append(flagBatch(count: 3))
            log.close()
            // Two processes hold snapshots; one is killed. The survivor keeps the environment open,
            // so the next opener is not the first one (which would reset the whole reader table)
            // and must clear the dead process's slot itself.
            func startHolder() throws -> Process {
                let child = Process()
                child.executableURL = URL(fileURLWithPath: runledgerExecutable)
                child.arguments = ["_hold-reader", "--data", data]
                let out = Pipe()
                child.standardOutput = out
                try child.run()
                let line = out.fileHandleForReading.availableData
                #expect(String(decoding: line, as: UTF8.self).contains("holding a snapshot at 3"))
                return child
            }
            let survivor = try startHolder()
            let victim = try startHolder()
            defer {
                kill(survivor.processIdentifier, SIGKILL)
                survivor.waitUntilExit()
            }
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
            let reopened = try EventLog.open(directory: data)
            defer { reopened.close() }
            #expect(reopened.clearedStaleReaders >= 1)
            _ = try await reopened.append(flagBatch(count: 1))
            #expect(try reopened.verify().isValid)
        }
    }
}
