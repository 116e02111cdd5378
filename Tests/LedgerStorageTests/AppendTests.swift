import Foundation
import LedgerCore
import LedgerStorage
import Testing

@Suite struct AppendTests {
    @Test func appendAssignsGaplessSequencesAndStreamVersions() async throws {
        try await withTemporaryLog { log, _ in
            let a = try await log.append(flagBatch(stream: "run/1", count: 3))
            let b = try await log.append(flagBatch(stream: "run/2", count: 2))
            let c = try await log.append(flagBatch(stream: "run/1", count: 1))
            #expect(a.sequences == 1...3)
            #expect(b.sequences == 4...5)
            #expect(c.sequences == 6...6)
            #expect(c.streamVersions == ["run/1": 4])
            let events = try log.read { try $0.streamEvents("run/1") }
            #expect(events.map(\.sequence) == [1, 2, 3, 6])
            #expect(events.map(\.streamVersion) == [1, 2, 3, 4])
            #expect(try log.head().sequence == 6)
        }
    }

    @Test func conflictRejectsWholeBatchAndNamesStream() async throws {
        try await withTemporaryLog { log, _ in
            _ = try await log.append(flagBatch(stream: "run/1", count: 2))
            let headBefore = try log.head()
            var batch = flagBatch(stream: "run/2", count: 1)
            batch.events += flagBatch(stream: "run/1", count: 1).events
            batch.expect("run/2", .noStream)
            batch.expect("run/1", .exact(1))
            let error = await #expect(throws: LedgerError.self) { try await log.append(batch) }
            #expect(error?.code == .conflict)
            #expect(error?.conflict == LedgerError.Conflict(stream: "run/1", expected: .exact(1), actual: 2))
            #expect(error?.message.contains("run/1") == true)
            #expect(error?.message.contains("expected 1, actual 2") == true)
            #expect(try log.head() == headBefore)
            #expect(try log.read { try $0.streamVersion("run/2") } == 0)
            batch.expect("run/1", .exact(2))
            let ok = try await log.append(batch)
            #expect(ok.streamVersions == ["run/1": 3, "run/2": 1])
        }
    }

    @Test func rejectedBatchInAGroupDoesNotAffectTheOthers() async throws {
        try await withTemporaryLog { log, _ in
            _ = try await log.append(flagBatch(stream: "run/1"))
            let results = await withTaskGroup(of: Result<AppendResult, any Error>.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        var b = flagBatch(stream: "run/\(i % 4 + 10)", count: 2)
                        if i % 5 == 0 { b.expect("run/1", .exact(99)) }
                        do { return .success(try await log.append(b)) } catch { return .failure(error) }
                    }
                }
                var all: [Result<AppendResult, any Error>] = []
                for await r in group { all.append(r) }
                return all
            }
            let failures = results.filter { if case .failure = $0 { return true } else { return false } }
            #expect(failures.count == 8)
            #expect(try log.head().sequence == 1 + 32 * 2)
            #expect(try log.verify().isValid)
        }
    }

    @Test func idempotentRetryReturnsOriginalSequences() async throws {
        try await withTemporaryLog { log, _ in
            let first = try await log.append(flagBatch(stream: "run/1", count: 3, key: "req-1"))
            _ = try await log.append(flagBatch(stream: "run/2"))
            var retry = flagBatch(stream: "run/1", count: 3, key: "req-1")
            retry.correlationID = UUID()
            let second = try await log.append(retry)
            #expect(second.wasDuplicate)
            #expect(second.sequences == first.sequences)
            #expect(second.streamVersions == ["run/1": 3])
            #expect(try log.head().sequence == 4)
            let event = try log.read { try $0.event(at: 2) }
            #expect(event?.idempotencyKey == "req-1")
        }
    }

    @Test func reusedIdempotencyKeyWithDifferentBatchIsRejected() async throws {
        try await withTemporaryLog { log, _ in
            _ = try await log.append(flagBatch(stream: "run/1", count: 1, key: "req-9"))
            let error = await #expect(throws: LedgerError.self) {
                try await log.append(flagBatch(stream: "run/1", count: 2, key: "req-9"))
            }
            #expect(error?.code == .idempotencyKeyReused)
            #expect(try log.head().sequence == 1)
        }
    }

    @Test func concurrentAppendersGetGaplessSequences() async throws {
        try await withTemporaryLog { log, _ in
            let ranges = try await withThrowingTaskGroup(of: [ClosedRange<UInt64>].self) { group in
                for task in 0..<32 {
                    group.addTask {
                        var mine: [ClosedRange<UInt64>] = []
                        for i in 0..<25 {
                            let r = try await log.append(flagBatch(stream: "run/\(task)", count: 1 + (i * 7 + task) % 5))
                            mine.append(r.sequences)
                        }
                        return mine
                    }
                }
                var all: [ClosedRange<UInt64>] = []
                for try await r in group { all += r }
                return all
            }
            let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
            var expected: UInt64 = 1
            for r in sorted {
                #expect(r.lowerBound == expected)
                expected = r.upperBound + 1
            }
            let head = try log.head()
            #expect(head.sequence == expected - 1)
            let report = try log.verify()
            #expect(report.isValid)
            #expect(report.eventsVerified == head.sequence)
            for task in 0..<32 {
                let versions = try log.read { try $0.streamEvents("run/\(task)").map(\.streamVersion) }
                #expect(versions == Array(1...UInt64(versions.count)))
            }
        }
    }

    @Test func timeMayNotGoBackwards() async throws {
        try await withTemporaryLog { log, _ in
            _ = try await log.append(flagBatch(at: LedgerTimestamp(seconds: 2_000)))
            let error = await #expect(throws: LedgerError.self) {
                try await log.append(flagBatch(at: LedgerTimestamp(seconds: 1_000)))
            }
            #expect(error?.code == .invalidBatch)
            #expect(error?.message.contains("time may not go backwards") == true)
        }
    }

    @Test func appendAfterCloseFails() async throws {
        try await withTemporaryDirectory { dir in
            let log = try EventLog.open(directory: dir + "/d")
            log.close()
            let error = await #expect(throws: LedgerError.self) { try await log.append(flagBatch()) }
            #expect(error?.code == .closed)
        }
    }

    @Test func logReopensWithItsHistory() async throws {
        try await withTemporaryDirectory { dir in
            let log = try EventLog.open(directory: dir + "/d")
            _ = try await log.append(flagBatch(stream: "run/5", count: 70))
            let head = try log.head()
            log.close()
            let again = try EventLog.open(directory: dir + "/d")
            defer { again.close() }
            #expect(try again.head() == head)
            let next = try await again.append(flagBatch(stream: "run/5", count: 1))
            #expect(next.sequences == 71...71)
            #expect(next.streamVersions == ["run/5": 71])
            #expect(try again.verify().isValid)
        }
    }

    @Test func largeBatchAfterAPartialTailFrameChainsAndReadsBack() async throws {
        try await withTemporaryLog { log, _ in
            _ = try await log.append(flagBatch(stream: "run/1", count: 10))
            // The tail frame (10 events) is reopened, filled in the background and rewritten in place.
            let big = try await log.append(flagBatch(stream: "run/2", count: 1_000))
            #expect(big.sequences == 11...1010)
            _ = try await log.append(flagBatch(stream: "run/1", count: 3))
            let report = try log.verify()
            #expect(report.isValid)
            #expect(report.eventsVerified == 1013)
            let all = try log.read { try $0.events(from: 1, limit: 2_000) }
            #expect(all.map(\.sequence) == Array(1...1013))
            #expect(try log.read { try $0.streamVersion("run/2") } == 1_000)
        }
    }
}
