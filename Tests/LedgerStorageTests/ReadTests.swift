import Foundation
import LedgerCore
import LedgerStorage
import Testing

@Suite struct ReadTests {
    @Test func readsBySequenceRangeStreamActorAndTime() async throws {
        try await withTemporaryLog({ $0.maxFrameEvents = 8 }) { log, _ in
            let t0: Int64 = 1_700_000_000
            for i in 0..<50 {
                let actor = i % 3 == 0 ? "classifier/pixel@v2" : "shifter\(i % 2)@cern.ch"
                _ = try await log.append(
                    flagBatch(stream: "run/\(100 + i % 5)", count: 2, actor: actor, at: LedgerTimestamp(seconds: t0 + Int64(i) * 60)))
            }
            try log.read { s in
                let range = try s.events(from: 11, limit: 15)
                #expect(range.map(\.sequence) == Array(11...25))
                #expect(try s.event(at: 100)?.sequence == 100)
                #expect(try s.event(at: 101) == nil)
                #expect(try s.event(at: 0) == nil)

                let stream = try s.streamEvents("run/101", fromVersion: 5)
                #expect(stream.first?.streamVersion == 5)
                #expect(stream.allSatisfy { $0.stream == "run/101" })
                #expect(stream.count == 16)

                let bot = try s.actorSequences("classifier/pixel@v2")
                #expect(bot.count == 34)
                let window = try s.actorSequences("classifier/pixel@v2", in: 20...60)
                #expect(window.allSatisfy { (20...60).contains($0) })
                #expect(window == bot.filter { (20...60).contains($0) })

                // Batch i is recorded at t0 + 60 i and holds sequences 2i+1, 2i+2.
                #expect(try s.sequence(atOrBefore: LedgerTimestamp(seconds: t0 - 1)) == 0)
                #expect(try s.sequence(atOrBefore: LedgerTimestamp(seconds: t0)) == 2)
                #expect(try s.sequence(atOrBefore: LedgerTimestamp(seconds: t0 + 60 * 10 + 30)) == 22)
                #expect(try s.sequence(atOrBefore: LedgerTimestamp(seconds: t0 + 60 * 49)) == 100)
                #expect(try s.sequence(atOrBefore: LedgerTimestamp(seconds: t0 + 99_999)) == 100)
                #expect(try s.streamIDs(prefix: "run/10").count == 5)
                #expect(try s.actors().count == 3)
            }
        }
    }

    @Test func readersSeeASnapshotWhileTheWriterGoesOn() async throws {
        try await withTemporaryLog { log, _ in
            _ = try await log.append(flagBatch(count: 10))
            try log.read { s in
                let before = try s.head.sequence
                // An append from another thread commits while this snapshot is open.
                let done = DispatchSemaphore(value: 0)
                Thread {
                    _ = try? log.appendBlocking(flagBatch(count: 5))
                    done.signal()
                }.start()
                #expect(done.wait(timeout: .now() + 10) == .success)
                #expect(try s.head.sequence == before)
                #expect(try s.event(at: 11) == nil)
            }
            #expect(try log.head().sequence == 15)
        }
    }
}
