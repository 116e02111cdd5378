import Certification
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage
import Testing

@Suite struct WorkloadGeneratorTests {
    @Test func sameSeedGivesTheSameEventsAndChainHead() async throws {
        let (a, headA, countsA) = try await withTemporaryLog { log in
            let summary = try WorkloadGenerator(profile: .small, seed: 11).generate(into: log)
            return (summary.events, try log.head(), summary.eventCounts)
        }
        let (b, headB, _) = try await withTemporaryLog { log in
            let summary = try WorkloadGenerator(profile: .small, seed: 11).generate(into: log)
            return (summary.events, try log.head(), summary.eventCounts)
        }
        #expect(a == b)
        #expect(headA == headB)
        #expect(headA.sequence == UInt64(a))
        #expect(countsA["LumisectionFlagsSet", default: 0] > 1_000)
        let other = try await withTemporaryLog { log in
            _ = try WorkloadGenerator(profile: .small, seed: 12).generate(into: log)
            return try log.head()
        }
        #expect(other.link != headA.link)
    }

    @Test func smallProfileHasEverythingTheDemoNeeds() async throws {
        try await withTemporaryLog { log in try Self.checkSmallProfile(log) }
    }

    static func checkSmallProfile(_ log: EventLog) throws {
        let summary = try WorkloadGenerator(profile: .small, seed: 1).generate(into: log)
        #expect(summary.refusedCommands == 0, "\(summary.refusalExamples)")
        #expect(try log.verify().isValid)
        var s = session(log)
        var states: [RunState: Int] = [:]
        var openSignificance: Set<Bool> = []
        var longest = 0
        let runIDs = try log.read { try $0.streamIDs(prefix: "run/") }
        #expect(runIDs.count == 40)
        for id in runIDs {
            let run = try s.run(Int(id.dropFirst(4))!)
            states[run.state, default: 0] += 1
            if run.state == .open { openSignificance.insert(run.significant) }
            longest = max(longest, run.lumisectionCount ?? 0)
        }
        #expect(states[.open, default: 0] > 0)
        #expect(states[.signOff, default: 0] > 0)
        #expect(states[.completed, default: 0] > 0)
        #expect(openSignificance == [true, false])
        #expect(longest >= 5_000)
        // Offline datasets in every workspace state.
        var workspaceStates: Set<DatasetWorkspaceState> = []
        for id in try log.read({ try $0.streamIDs(prefix: "dataset/") }) where !id.hasSuffix("/online") {
            let parts = id.dropFirst("dataset/".count)
            let slash = parts.firstIndex(of: "/")!
            let d = try s.dataset(DatasetKey(run: Int(parts[..<slash])!, name: String(parts[parts.index(after: slash)...])))
            workspaceStates.formUnion(d.workspaceStates.values)
        }
        #expect(workspaceStates == Set(DatasetWorkspaceState.allCases))
        // Cycles with member datasets, accepted rules that created datasets.
        let cycles = try log.read { try $0.streamIDs(prefix: "cycle/") }
        #expect(!cycles.isEmpty)
        #expect(try s.cycle(String(cycles[0].dropFirst(6))).datasets.isEmpty == false)
        #expect(try s.config(.datasetsAccepted).acceptedRules.count >= 3)
        #expect(summary.eventCounts["RunStateMoved", default: 0] > 0)
        #expect(summary.eventCounts["CommentAdded", default: 0] >= 0)
    }
}
