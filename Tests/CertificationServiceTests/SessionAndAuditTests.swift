import Certification
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage
import Testing

@Suite struct SessionAndAuditTests {
    private func range(_ a: Int, _ b: Int) -> LumisectionRange { try! LumisectionRange(a, b) }

    /// A run with 100 LS, an automatic classification, then a shifter's manual BAD on LS 40–60.
    private func knownHistory(_ log: EventLog) async throws {
        var oms = session(log, actor: "oms-sync")
        try oms.execute(.run(355_100, .create(omsAttributes: ["energy": .int(6800)], runClass: "Collisions24", significant: true)))
        try oms.execute(.run(355_100, .setLumisectionCount(100)))
        try await oms.commit(reason: "run creation", recordedAt: LedgerTimestamp(seconds: 1_700_000_000))
        var bot = session(log, actor: "classifier/online@v3")
        try bot.execute(.dataset(.online(run: 355_100), .setFlags(component: "tracker-pixel", range: range(1, 100), flag: Flag(.good))))
        try await bot.commit(reason: "automatic classification", recordedAt: LedgerTimestamp(seconds: 1_700_000_100))
        var shifter = session(log, actor: "anna@cern.ch", kind: .human)
        try shifter.execute(
            .dataset(.online(run: 355_100), .setFlags(component: "tracker-pixel", range: range(40, 60), flag: Flag(.bad, comment: "HV trip in BPix", cause: "Hardware"))))
        try await shifter.commit(reason: "shifter check", recordedAt: LedgerTimestamp(seconds: 1_700_000_200))
    }

    @Test func provenanceNamesTheDecisionAndTheChain() async throws {
        try await withTemporaryLog { log in
            try await knownHistory(log)
            let audit = AuditQueries(log: log)
            let p = try audit.provenance(run: 355_100, dataset: "online", component: "tracker-pixel", lumisection: 50)
            #expect(p.current == Flag(.bad, comment: "HV trip in BPix", cause: "Hardware"))
            #expect(p.decidedBy?.actor == "anna@cern.ch")
            #expect(p.decidedBy?.reason == "shifter check")
            #expect(p.isManualOverride)
            #expect(p.chain.map(\.actor) == ["classifier/online@v3", "anna@cern.ch"])
            let outside = try audit.provenance(run: 355_100, dataset: "online", component: "tracker-pixel", lumisection: 70)
            #expect(outside.current == Flag(.good))
            #expect(outside.decidedBy?.actor == "classifier/online@v3")
            // As of before the shifter's edit, LS 50 was GOOD.
            let before = try audit.provenance(
                run: 355_100, dataset: "online", component: "tracker-pixel", lumisection: 50, asOf: p.decidedBy!.sequence - 1)
            #expect(before.current == Flag(.good))
        }
    }

    @Test func manualOverrideHoldsUntilReleased() async throws {
        try await withTemporaryLog { log in
            try await knownHistory(log)
            var bot = session(log, actor: "classifier/online@v4")
            try bot.execute(.dataset(.online(run: 355_100), .setFlags(component: "tracker-pixel", range: range(1, 100), flag: Flag(.good))))
            try await bot.commit(reason: "reclassification", recordedAt: LedgerTimestamp(seconds: 1_700_000_300))
            let audit = AuditQueries(log: log)
            #expect(try audit.provenance(run: 355_100, dataset: "online", component: "tracker-pixel", lumisection: 50).current?.status == .bad)
            var shifter = session(log, actor: "anna@cern.ch", kind: .human)
            try shifter.execute(.dataset(.online(run: 355_100), .releaseManualOverride(component: "tracker-pixel", range: range(40, 60))))
            try await shifter.commit(reason: "fixed after recalibration", recordedAt: LedgerTimestamp(seconds: 1_700_000_400))
            let after = try audit.provenance(run: 355_100, dataset: "online", component: "tracker-pixel", lumisection: 50)
            #expect(after.current?.status == .good)
            #expect(after.decidedBy?.actor == "classifier/online@v4")
            #expect(!after.isManualOverride)
        }
    }

    @Test func actorActivityIsLimitedToTheTimeWindow() async throws {
        try await withTemporaryLog { log in
            try await knownHistory(log)
            let audit = AuditQueries(log: log)
            #expect(try audit.activity(actor: "anna@cern.ch").count == 1)
            #expect(try audit.activity(actor: "anna@cern.ch", until: LedgerTimestamp(seconds: 1_700_000_199)).isEmpty)
            #expect(try audit.activity(actor: "oms-sync", since: LedgerTimestamp(seconds: 1_700_000_000), until: LedgerTimestamp(seconds: 1_700_000_000)).count == 3)
        }
    }

    @Test func diffShowsWhatChangedBetweenTwoSequences() async throws {
        try await withTemporaryLog { log in
            try await knownHistory(log)
            let head = try log.head().sequence
            let d = try AuditQueries(log: log).diff(run: 355_100, dataset: "online", from: head - 1, to: head)
            #expect(d.flagChanges == [FlagChange(component: "tracker-pixel", range: range(40, 60), before: Flag(.good), after: Flag(.bad, comment: "HV trip in BPix", cause: "Hardware"))])
            #expect(d.events.count == 1)
        }
    }

    @Test func staleSessionIsRejectedAsAConflictAndAppendsNothing() async throws {
        try await withTemporaryLog { log in
            try await knownHistory(log)
            var first = session(log, actor: "anna@cern.ch", kind: .human)
            var second = session(log, actor: "j.martin@cern.ch", kind: .human)
            _ = try first.run(355_100)
            _ = try second.run(355_100)
            try first.execute(.run(355_100, .setClass("Cosmics24")))
            try second.execute(.run(355_100, .setClass("Commissioning24")))
            try await first.commit(reason: "class fix")
            let head = try log.head()
            let error = await #expect(throws: LedgerError.self) { try await second.commit(reason: "class fix too") }
            #expect(error?.code == .conflict)
            #expect(error?.conflict?.stream == "run/355100")
            #expect(try log.head() == head)
        }
    }

    @Test func rejectedCommandsExplainThemselvesAndLeaveTheSessionUnchanged() async throws {
        try await withTemporaryLog { log in
            try await knownHistory(log)
            var s = session(log, actor: "anna@cern.ch", kind: .human)
            let noComment = #expect(throws: CertificationError.self) {
                try s.execute(.dataset(.online(run: 355_100), .setFlags(component: "dt-dt", range: range(1, 5), flag: Flag(.bad))))
            }
            #expect(noComment?.message.contains("comment") == true)
            let outOfRange = #expect(throws: CertificationError.self) {
                try s.execute(.dataset(.online(run: 355_100), .setFlags(component: "dt-dt", range: range(90, 120), flag: Flag(.good))))
            }
            #expect(outOfRange?.message.contains("100") == true)
            let signOff = #expect(throws: CertificationError.self) {
                try s.execute(.run(355_100, .moveState(to: .signOff, reason: "")))
            }
            #expect(signOff?.code == .signOffBlocked)
            #expect(s.pending.isEmpty)
        }
    }
}
