import Foundation
import LedgerCore
import LedgerStorage
import Testing

@Suite struct OperationsTests {
    @Test func mapGrowsWhenFull() async throws {
        try await withTemporaryLog({ $0.initialMapSize = 256 << 10; $0.dictionaryTrainingThreshold = 0 }) { log, _ in
            let before = log.mapSize
            // Incompressible comments make the log outgrow the 256 KiB map many times over.
            var random = SystemRandomNumberGenerator()
            for batchIndex in 0..<40 {
                var batch = AppendBatch(actor: "jane@cern.ch", actorKind: .human, reason: "growth")
                for i in 0..<100 {
                    let noise = (0..<200).map { _ in Character(UnicodeScalar(UInt8.random(in: 97...122, using: &random))) }
                    batch.events.append(
                        ProposedEvent(
                            stream: "run/\(batchIndex)", type: "CommentAdded",
                            payload: CanonicalValue.map(["text": .string(String(noise)), "i": .int(Int64(i))]).encoded))
                }
                _ = try await log.append(batch)
            }
            #expect(log.mapSize > before)
            #expect(try log.head().sequence == 4000)
            #expect(try log.verify().isValid)
        }
    }

    @Test func backupWhileAppendingGivesAVerifiableCopy() async throws {
        try await withTemporaryLog { log, dir in
            _ = try await log.append(flagBatch(count: 500))
            let writer = Task {
                var n = 0
                while !Task.isCancelled && n < 400 {
                    _ = try await log.append(flagBatch(stream: "run/\(n % 7)", count: 10))
                    n += 1
                }
                return n
            }
            try await Task.sleep(for: .milliseconds(30))
            try log.backup(to: dir + "-backup")
            defer { try? FileManager.default.removeItem(atPath: dir + "-backup") }
            _ = try await writer.value
            var options = EventLog.Options()
            options.readOnly = true
            let copy = try EventLog.open(directory: dir + "-backup", options: options)
            defer { copy.close() }
            let report = try copy.verify()
            #expect(report.isValid)
            #expect(report.eventsVerified >= 500)
            #expect(report.eventsVerified <= (try log.head().sequence))
            // The copy's head is a prefix of the live log's chain.
            let copyHead = try copy.head()
            let liveEvent = try log.read { try $0.event(at: copyHead.sequence) }
            let copyEvent = try copy.read { try $0.event(at: copyHead.sequence) }
            #expect(liveEvent == copyEvent)
            #expect(throws: LedgerError.self) { try log.backup(to: dir + "-backup") }
        }
    }

    @Test func dictionaryIsTrainedAndOldFramesStillDecode() async throws {
        try await withTemporaryLog({ $0.dictionaryTrainingThreshold = 300 }) { log, _ in
            for i in 0..<10 { _ = try await log.append(flagBatch(stream: "run/\(i)", count: 50)) }
            var stats = try log.statistics()
            #expect(stats.currentDictionary == 1)
            #expect(stats.dictionaries.map(\.id) == [1])
            let second = try await log.trainDictionary()
            #expect(second.id == 2)
            for i in 0..<4 { _ = try await log.append(flagBatch(stream: "run/\(i)", count: 50)) }
            stats = try log.statistics()
            #expect(stats.currentDictionary == 2)
            #expect(stats.typeCounts == ["LumisectionFlagsSet": 700])
            #expect(try log.verify().isValid)
            let first = try log.read { try $0.event(at: 1) }
            #expect(first?.streamVersion == 1)
        }
    }

    @Test func verifyNamesTheFrameWithAFlippedByte() async throws {
        try await withTemporaryDirectory { dir in
            let data = dir + "/d"
            var options = EventLog.Options()
            options.dictionaryTrainingThreshold = 0
            options.maxFrameEvents = 16
            let log = try EventLog.open(directory: data, options: options)
            for i in 0..<20 {
                var batch = flagBatch(stream: "run/\(i)", count: 8)
                batch.reason = "batch \(i) with a distinct reason so every frame differs"
                _ = try await log.append(batch)
            }
            #expect(try log.verify().isValid)
            log.close()

            // Find the stored frame that starts at sequence 65 and flip one byte inside it.
            let fileURL = URL(fileURLWithPath: data + "/data.mdb")
            var file = try Data(contentsOf: fileURL)
            let frame = try storedFrameBytes(directory: data, key: 65)
            // LMDB is copy-on-write: stale copies of the page may hold the same bytes, so flip the
            // byte in every copy to be sure the live record is hit.
            let ranges = file.ranges(of: frame)
            #expect(!ranges.isEmpty, "stored frame not found in data.mdb")
            for range in ranges { file[range.lowerBound + frame.count - 7] ^= 0x5A }
            try file.write(to: fileURL)

            var readOnly = EventLog.Options()
            readOnly.readOnly = true
            let damaged = try EventLog.open(directory: data, options: readOnly)
            let report = try damaged.verify()
            damaged.close()
            #expect(!report.isValid)
            #expect(report.failure?.sequence == 65)
            #expect(report.eventsVerified == 64)

            let cli = try runRunledger(["verify", "--data", data])
            #expect(cli.status == 1)
            #expect(cli.err.contains("first bad sequence 65"))
            #expect(cli.out.contains("first bad sequence: 65"))
        }
    }

    @Test func verifyReportsAGarbledFileWithoutCrashing() async throws {
        try await withTemporaryDirectory { dir in
            let data = dir + "/d"
            let log = try EventLog.open(directory: data)
            for i in 0..<30 { _ = try await log.append(flagBatch(stream: "run/\(i)", count: 40)) }
            log.close()
            // Overwrite page 3 onwards with garbage: B-tree pages, not only record bytes.
            let fileURL = URL(fileURLWithPath: data + "/data.mdb")
            var file = try Data(contentsOf: fileURL)
            var random = SystemRandomNumberGenerator()
            for i in (3 * 4096)..<min(file.count, 12 * 4096) { file[i] = UInt8.random(in: 0...255, using: &random) }
            try file.write(to: fileURL)
            let cli = try runRunledger(["verify", "--data", data])
            #expect(cli.status != 0)
            #expect(cli.err.contains("error:"))
        }
    }

    @Test func logCommandsPrintEnvelopesAndStats() async throws {
        try await withTemporaryDirectory { dir in
            let data = dir + "/d"
            let log = try EventLog.open(directory: data)
            _ = try await log.append(flagBatch(stream: "run/7", count: 12, actor: "anna@cern.ch"))
            log.close()
            let tail = try runRunledger(["log", "tail", "--data", data, "-n", "3"])
            #expect(tail.status == 0)
            let lines = tail.out.split(separator: "\n")
            #expect(lines.count == 3)
            #expect(lines.first?.hasPrefix("{\"seq\":10,\"stream\":\"run/7\",\"version\":10,") == true)
            #expect(lines.last?.contains("\"actor\":\"anna@cern.ch\"") == true)
            let show = try runRunledger(["log", "show", "4", "--data", data])
            #expect(show.out.contains("\"payload\":{\"cause\":\"\",\"comment\":\"\",\"component\":\"tracker-pixel\",\"first_ls\":4,\"last_ls\":13,\"status\":\"GOOD\"}"))
            let missing = try runRunledger(["log", "show", "99", "--data", data])
            #expect(missing.status != 0)
            #expect(missing.err.contains("1...12"))
            let stats = try runRunledger(["log", "stats", "--data", data, "--json"])
            #expect(stats.out.contains("\"events\":12"))
            #expect(stats.out.contains("\"types\":{\"LumisectionFlagsSet\":12}"))
            let verify = try runRunledger(["verify", "--data", data])
            #expect(verify.status == 0)
            #expect(verify.out.contains("ok: 12 events verified"))
            let backup = try runRunledger(["backup", "--data", data, dir + "/copy"])
            #expect(backup.status == 0)
            #expect(backup.out.contains("verified: 12 events"))
            let nowhere = try runRunledger(["verify", "--data", dir + "/nothing-here"])
            #expect(nowhere.status == 2)
            #expect(nowhere.err.contains("no RunLedger data"))
        }
    }
}

/// Reads the stored (compressed) value of frame `key` straight from LMDB with `mdb_dump`-free means:
/// the test re-derives it through a read-only snapshot of the raw database.
func storedFrameBytes(directory: String, key: UInt64) throws -> Data {
    var options = EventLog.Options()
    options.readOnly = true
    let log = try EventLog.open(directory: directory, options: options)
    defer { log.close() }
    guard let bytes = try log._storedFrame(key: key) else { throw LedgerError(.notFound, "no frame \(key)") }
    return Data(bytes)
}
