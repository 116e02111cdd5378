import Certification
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage
import ProjectionViews
import Projections
import Testing

/// A fresh directory with a log and a views store, removed afterwards.
func withLedger<T>(_ body: (EventLog, String) async throws -> T) async throws -> T {
    let path = NSTemporaryDirectory() + "runledger-projections-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    let log = try EventLog.open(directory: path)
    defer { log.close() }
    return try await body(log, path)
}

/// Every row of the served namespace as of `sequence`: (view, entity) → value bytes.
func allRows(_ runtime: ProjectionRuntime, asOf sequence: UInt64?) throws -> [String: [UInt8]] {
    var rows: [String: [UInt8]] = [:]
    try runtime.store.read { s in
        for view in ViewName.allCases {
            try s.scan(namespace: runtime.readNamespace, view: view.index, asOf: sequence) { entity, _, value in
                rows["\(view.rawValue)/\(entity.map { String($0) }.joined(separator: "."))"] = value
                return true
            }
        }
    }
    return rows
}

/// Every stored version of every row of a namespace: the byte-level content of the views.
func allVersions(_ store: ViewStore, namespace: UInt8) throws -> [String] {
    var out: [String] = []
    try store.read { s in
        for view in ViewName.allCases {
            var entities: [[UInt8]] = []
            try s.scan(namespace: namespace, view: view.index, asOf: nil) { e, _, _ in
                entities.append(e)
                return true
            }
            for e in entities {
                var version: UInt64? = nil
                while let row = try s.row(namespace: namespace, view: view.index, entity: e, asOf: version) {
                    out.append("\(view.rawValue)|\(e)|\(row.version)|\(row.value ?? [])")
                    guard row.version > 0 else { break }
                    version = row.version - 1
                }
            }
        }
    }
    return out.sorted()
}

@Suite struct ProjectionRuntimeTests {
    @Test(arguments: [UInt64(3), 17, 29])
    func incrementalStateEqualsRebuildAndAsOfAtEveryCheckpoint(seed: UInt64) async throws {
        try await withLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: seed).generate(into: log)
            let head = try log.head().sequence
            var random = SeededRandom(seed: seed)
            let checkpoints = ((0..<6).map { _ in UInt64(random.int(1...Int(head))) } + [head]).sorted()
            // Incremental: one runtime applies the log in steps, stopping at each checkpoint.
            let store = try ViewStore.open(directory: path + "/views")
            let incremental = try ProjectionRuntime(log: log, store: store, batchSize: 97)
            var snapshots: [UInt64: [String: [UInt8]]] = [:]
            for n in checkpoints {
                try incremental.catchUp(through: n)
                #expect(incremental.checkpoint == n)
                snapshots[n] = try allRows(incremental, asOf: nil)
            }
            for n in checkpoints {
                // A full rebuild up to n, in a fresh store.
                let fresh = try ViewStore.open(directory: path + "/views-\(n)")
                let rebuilt = try ProjectionRuntime(log: log, store: fresh, batchSize: 5_000)
                try rebuilt.catchUp(through: n)
                let rebuiltRows = try allRows(rebuilt, asOf: nil)
                #expect(rebuiltRows == snapshots[n], "rebuild up to \(n)")
                // As of n, read from the final views.
                #expect(try allRows(incremental, asOf: n) == snapshots[n], "as-of \(n)")
            }
            #expect(!snapshots[head]!.isEmpty)
        }
    }

    @Test func readYourWritesWaitsForTheService() async throws {
        try await withLedger { log, path in
            let store = try ViewStore.open(directory: path + "/views")
            let runtime = try ProjectionRuntime(log: log, store: store)
            let worker = Task.detached {
                while !Task.isCancelled {
                    _ = try? runtime.catchUp()
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
            defer { worker.cancel() }
            var s = CommandSession(log: log, context: CommandContext(actor: "oms", actorKind: .automatic, time: LedgerTimestamp(seconds: 1)))
            try s.execute(.run(355_100, .create(omsAttributes: [:], runClass: "Collisions24", significant: true)))
            let result = try await s.commit(reason: "create")!
            #expect(await runtime.waitUntil(sequence: result.lastSequence, timeout: .seconds(5)))
            let view = try ViewQueries(runtime: runtime).run(355_100, asOf: result.lastSequence)
            #expect(view?.runClass == "Collisions24")
            #expect(await runtime.waitUntil(sequence: result.lastSequence + 100, timeout: .milliseconds(50)) == false)
        }
    }

    @Test func poisonEventStopsTheProjectionAndIsReported() async throws {
        try await withLedger { log, path in
            var s = CommandSession(log: log, context: CommandContext(actor: "oms", actorKind: .automatic, time: LedgerTimestamp(seconds: 1)))
            try s.execute(.run(355_100, .create(omsAttributes: [:], runClass: "Collisions24", significant: true)))
            try await s.commit(reason: "create")
            // A LumisectionFlagsSet whose payload lacks every field: it decodes as a value but not as the event.
            var bad = AppendBatch(actor: "buggy-importer", actorKind: .automatic, reason: "bad payload")
            bad.events = [ProposedEvent(stream: "dataset/355100/online", type: "LumisectionFlagsSet", schemaVersion: 2, payload: CanonicalValue.map([:]).encoded)]
            let poison = try await log.append(bad)
            try await s.commit(reason: "nothing")
            var later = CommandSession(log: log, context: CommandContext(actor: "oms", actorKind: .automatic, time: LedgerTimestamp(seconds: 2)))
            try later.execute(.run(355_100, .setClass("Cosmics24")))
            try await later.commit(reason: "class")
            let store = try ViewStore.open(directory: path + "/views")
            let runtime = try ProjectionRuntime(log: log, store: store)
            let error = #expect(throws: ProjectionRuntime.Failure.self) { try runtime.catchUp() }
            #expect(error?.sequence == poison.firstSequence)
            #expect(runtime.checkpoint == poison.firstSequence - 1)
            let health = try runtime.health()
            #expect(health.failure?.sequence == poison.firstSequence)
            #expect(health.lag == 2)
            // It never skips: trying again stops at the same event.
            #expect(throws: ProjectionRuntime.Failure.self) { try runtime.catchUp() }
            #expect(runtime.checkpoint == poison.firstSequence - 1)
        }
    }

    @Test func newVersionIsBuiltBesideTheServedOneAndThenServed() async throws {
        try await withLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: 5).generate(into: log)
            let store = try ViewStore.open(directory: path + "/views")
            // Pretend an older version is being served from namespace 200.
            try store.write { w in
                try w.setMeta("served/\(CertificationProjection.name)", [200] + Array("0".utf8))
                try w.put(namespace: 200, view: ViewName.runs.index, entity: [0, 0, 0, 1], version: 1, value: [1, 2, 3])
            }
            let runtime = try ProjectionRuntime(log: log, store: store)
            #expect(runtime.readNamespace == 200)
            #expect(try runtime.health().servedVersion == 0)
            try runtime.catchUp()
            #expect(runtime.readNamespace == runtime.namespace)
            #expect(try runtime.health().servedVersion == CertificationProjection.version)
            #expect(try allVersions(store, namespace: 200).isEmpty)
        }
    }

    @Test func killedDuringProjectionRestartsToTheSameViewsAsACleanRebuild() async throws {
        try await withLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: 9).generate(into: log)
            let head = try log.head().sequence
            log.close()
            var random = SystemRandomNumberGenerator()
            var kills = 0
            var attempts = 0
            // Kill the child mid-projection at random moments; a child that already finished is
            // not a kill, so keep trying (up to 40 starts) until 10 kills have happened.
            while kills < 10 && attempts < 40 {
                attempts += 1
                let child = Process()
                child.executableURL = URL(fileURLWithPath: runledgerExecutable)
                child.arguments = ["_catch-up", "--data", path, "--batch-size", "2"]
                let errors = Pipe()
                child.standardOutput = FileHandle.nullDevice
                child.standardError = errors
                try child.run()
                try await Task.sleep(for: .milliseconds(Int.random(in: 30...400, using: &random)))
                if child.isRunning {
                    kill(child.processIdentifier, SIGKILL)
                    kills += 1
                }
                child.waitUntilExit()
                if child.terminationReason == .exit && child.terminationStatus != 0 {
                    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    Issue.record("the projection child failed on its own: \(text)")
                    break
                }
                // Start over from an empty view store now and then, so kills land early as well as late.
                if attempts % 4 == 0 { try? FileManager.default.removeItem(atPath: path + "/views") }
            }
            #expect(kills >= 5, "only \(kills) kills in \(attempts) starts")
            var options = EventLog.Options()
            options.readOnly = true
            let reopened = try EventLog.open(directory: path, options: options)
            defer { reopened.close() }
            let store = try ViewStore.open(directory: path + "/views")
            let resumed = try ProjectionRuntime(log: reopened, store: store)
            try resumed.catchUp()
            #expect(resumed.checkpoint == head)
            let clean = try ViewStore.open(directory: path + "/views-clean")
            let rebuilt = try ProjectionRuntime(log: reopened, store: clean)
            try rebuilt.catchUp()
            #expect(try allVersions(store, namespace: resumed.namespace) == allVersions(clean, namespace: rebuilt.namespace))
        }
    }
}

/// The `runledger` executable built next to the test bundle.
var runledgerExecutable: String {
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: me).deletingLastPathComponent()
    if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
    return dir.appendingPathComponent("runledger").path
}
