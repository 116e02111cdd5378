import Certification
import CertificationJSON
import CertificationService
import Foundation
import GoldenJSON
import GoldenService
import LedgerCore
import LedgerStorage
import Logging
import ProjectionViews
import Projections
import Rules
import Testing

/// The repository's `projections/` folder.
let projectionsFolder: String = {
    var dir = URL(fileURLWithPath: #filePath)
    while dir.path != "/" {
        dir.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { break }
    }
    return dir.appendingPathComponent("projections").path
}()

/// A fresh data directory with a log, removed afterwards.
func withGoldenLedger<T>(_ body: (EventLog, String) async throws -> T) async throws -> T {
    let path = NSTemporaryDirectory() + "runledger-certjson-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    let log = try EventLog.open(directory: path)
    defer { log.close() }
    return try await body(log, path)
}

/// Everything `golden` prints or reports for a result, as bytes: the canonical JSON, the anti-JSON,
/// the dataset-keyed JSON, the matched datasets, and every luminosity sum bit for bit.
func outputBytes(_ r: GoldenResult) -> [UInt8] {
    var out = r.certified.canonicalBytes + [0x0A] + r.rejected.canonicalBytes + [0x0A]
    for key in r.certifiedByDataset.keys.sorted() {
        out += Array("\(key)=\(r.certifiedByDataset[key]!.map { "\($0.lowerBound)-\($0.upperBound)" })\n".utf8)
    }
    out += Array(r.datasets.map { "\($0.run) \($0.name)" }.joined(separator: ",").utf8) + [0x0A]
    for d in [r.recordedIn, r.recordedLost, r.deliveredIn, r.deliveredLost] + r.clauseFalseRecorded + r.clauseAloneRecorded {
        out += Array(String(d.bitPattern, radix: 16).utf8) + [0x2C]
    }
    out += Array("@\(r.sequence) \(r.link.hex)".utf8)
    return out
}

/// Every row of a definition's namespace as of `sequence`: entity bytes → row bytes.
func maintainedRows(_ golden: CertificationJSONRuntime, asOf sequence: UInt64) throws -> [[UInt8]: [UInt8]] {
    var rows: [[UInt8]: [UInt8]] = [:]
    try golden.base.store.read { s in
        try s.scan(namespace: golden.namespace, view: CertificationJSONRuntime.rowsView, entityPrefix: [], asOf: sequence) {
            entity, _, value in
            rows[entity] = value
            return true
        }
    }
    return rows
}

/// How many row versions a namespace stores, over all its entities.
func rowVersionCount(_ store: ViewStore, namespace: UInt8) throws -> Int {
    var count = 0
    try store.read { s in
        var entities: [[UInt8]] = []
        try s.scan(namespace: namespace, view: CertificationJSONRuntime.rowsView, entityPrefix: [], asOf: nil) { e, _, _ in
            entities.append(e)
            return true
        }
        for e in entities {
            var version: UInt64? = nil
            while let row = try s.row(namespace: namespace, view: CertificationJSONRuntime.rowsView, entity: e, asOf: version) {
                count += 1
                guard row.version > 0 else { break }
                version = row.version - 1
            }
        }
    }
    return count
}

/// Appends domain events as they are, bypassing the commands (to place an event precisely).
@discardableResult
func appendRaw(_ log: EventLog, _ events: [CertificationEvent], actorKind: ActorKind = .automatic) async throws -> UInt64 {
    var batch = AppendBatch(actor: "test", actorKind: actorKind, reason: "test")
    batch.events = events.map {
        ProposedEvent(stream: $0.stream.description, type: $0.typeName, schemaVersion: $0.schemaVersion, payload: $0.payload.encoded)
    }
    return try await log.append(batch).lastSequence
}

@Suite struct CertificationJSONProjectionTests {
    static let shipped = ["golden-collisions", "dcs-only", "tracker-only"]

    /// Random small histories: for random checkpoints N, the maintained rows read as of N, the
    /// on-demand generation at N and a fresh rebuild of views and rows up to N give the same bytes,
    /// for all three shipped definitions; so does the incremental state right after reaching N.
    @Test(arguments: [UInt64(4), 11, UInt64.random(in: 100...1_000_000)])
    func maintainedAsOfEqualsOnDemandAndAFreshRebuildAtRandomCheckpoints(seed: UInt64) async throws {
        try await withGoldenLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: seed).generate(into: log)
            let head = try log.head().sequence
            var random = SeededRandom(seed: seed)
            let checkpoints = Array(Set((0..<4).map { _ in UInt64(random.int(1...Int(head))) } + [head])).sorted()
            let definitions = try Self.shipped.map { try DefinitionDirectory.load($0, from: projectionsFolder) }

            // Incremental: the views and every definition advance together, in odd-sized batches.
            let runtime = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views"), batchSize: 89)
            let goldens = try definitions.map { try CertificationJSONRuntime(definition: $0, base: runtime, batchSize: 53) }
            var incremental: [String: [UInt8]] = [:]
            for n in checkpoints {
                try runtime.catchUp(through: n)
                for g in goldens {
                    try g.catchUp(through: n)
                    #expect(g.checkpoint == n)
                    incremental["\(g.definition.name)@\(n)"] = outputBytes(try g.result(asOf: n))
                }
            }
            let generator = GoldenGenerator(queries: ViewQueries(runtime: runtime))
            for n in checkpoints {
                // A fresh rebuild of the views and the definitions up to n, in a new store.
                let fresh = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views-\(n)"))
                try fresh.catchUp(through: n)
                for (definition, golden) in zip(definitions, goldens) {
                    let rebuilt = try CertificationJSONRuntime(definition: definition, base: fresh)
                    try rebuilt.catchUp(through: n)
                    let label = "seed \(seed), \(definition.name) at \(n) of \(head)"
                    let maintained = outputBytes(try golden.result(asOf: n))
                    let onDemand = outputBytes(try generator.generate(rule: definition.rule, filter: definition.filter, asOf: n))
                    #expect(maintained == onDemand, "maintained as-of vs on demand, \(label)")
                    #expect(outputBytes(try rebuilt.result(asOf: n)) == onDemand, "fresh rebuild vs on demand, \(label)")
                    #expect(incremental["\(definition.name)@\(n)"] == onDemand, "incremental state vs on demand, \(label)")
                    #expect(try maintainedRows(rebuilt, asOf: n) == maintainedRows(golden, asOf: n), "rows, \(label)")
                }
            }
            // The histories certify something: the comparison is not between empty outputs.
            let final = try goldens[0].result(asOf: head)
            #expect(final.certified.lumisectionCount > 0)
            #expect(final.rejected.lumisectionCount > 0)
        }
    }

    /// Rebuilding the views with the definitions following on a second thread gives the same rows,
    /// version for version, as rebuilding them one after the other.
    @Test func rebuildWithDefinitionsFollowingGivesTheSameRowsAsOneAfterTheOther() async throws {
        try await withGoldenLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: 13).generate(into: log)
            let definitions = try Self.shipped.map { try DefinitionDirectory.load($0, from: projectionsFolder) }
            let sequential = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views-a"))
            try sequential.rebuild()
            let one = try definitions.map { try CertificationJSONRuntime(definition: $0, base: sequential) }
            for g in one { try g.rebuild() }
            let following = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views-b"), batchSize: 700)
            let other = try definitions.map { try CertificationJSONRuntime(definition: $0, base: following, batchSize: 300) }
            let timing = try FollowingRebuild.run(base: following, followers: other)
            #expect(timing.events == (try log.head().sequence))
            for (a, b) in zip(one, other) {
                #expect(b.checkpoint == a.checkpoint)
                #expect(try rowVersionCount(a.base.store, namespace: a.namespace) == rowVersionCount(b.base.store, namespace: b.namespace))
                for n in stride(from: UInt64(1), through: a.checkpoint, by: 997) {
                    #expect(try maintainedRows(a, asOf: n) == maintainedRows(b, asOf: n), "\(a.definition.name) at \(n)")
                }
            }
        }
    }

    /// A caller can wait until a definition's rows reflect its append (read-your-writes), with a timeout.
    @Test func readYourWritesWaitsForTheDefinitionRows() async throws {
        try await withGoldenLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: 2).generate(into: log)
            let runtime = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views"))
            let golden = try CertificationJSONRuntime(
                definition: try DefinitionDirectory.load("dcs-only", from: projectionsFolder), base: runtime)
            let worker = Task.detached {
                while !Task.isCancelled {
                    _ = try? runtime.catchUp()
                    _ = try? golden.catchUp()
                    try? await Task.sleep(for: .milliseconds(2))
                }
            }
            defer { worker.cancel() }
            let run = 378_000  // the small profile's first run
            let ls = try LumisectionRange(1, 3)
            let sequence = try await appendRaw(
                log, [.omsLumisectionBitsSet(DatasetKey.online(run: run), range: ls, bits: ["cms_active": false], comment: "trip")])
            #expect(await golden.waitUntil(sequence: sequence, timeout: .seconds(20)))
            #expect(golden.checkpoint >= sequence)
            let result = try golden.result(asOf: sequence)
            #expect(!result.certified.contains(run: UInt32(run), lumisection: 2))
            #expect(result.rejected.contains(run: UInt32(run), lumisection: 2))
            #expect(await golden.waitUntil(sequence: sequence + 100, timeout: .milliseconds(50)) == false)
        }
    }

    /// The long-running worker keeps the definitions it follows current behind the views, and
    /// stops when cancelled.
    @Test func projectionServiceKeepsItsFollowersCurrent() async throws {
        try await withGoldenLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: 21).generate(into: log)
            let runtime = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views"))
            let goldens = try Self.shipped.map {
                try CertificationJSONRuntime(definition: try DefinitionDirectory.load($0, from: projectionsFolder), base: runtime)
            }
            let service = ProjectionService(
                runtime: runtime, followers: goldens, logger: Logger(label: "test"), pollInterval: .milliseconds(1))
            let running = Task { try await service.run() }
            let head = try log.head().sequence
            for g in goldens { #expect(await g.waitUntil(sequence: head, timeout: .seconds(60)), "\(g.projection)") }
            let sequence = try await appendRaw(
                log, [.omsLumisectionBitsSet(DatasetKey.online(run: 378_000), range: try LumisectionRange(1, 2),
                    bits: ["beam1_stable": false], comment: "dump")])
            for g in goldens { #expect(await g.waitUntil(sequence: sequence, timeout: .seconds(20)), "\(g.projection)") }
            running.cancel()
            try await running.value
            let generator = GoldenGenerator(queries: ViewQueries(runtime: runtime))
            for g in goldens {
                let expected = try generator.generate(rule: g.definition.rule, filter: g.definition.filter, asOf: sequence)
                #expect(outputBytes(try g.result(asOf: sequence)) == outputBytes(expected), "\(g.projection)")
            }
        }
    }

    /// A changed definition file gets a new identity and namespace; it is built beside the served
    /// one, which keeps serving until the new one has caught up; then reads flip and the old rows go.
    @Test func changedDefinitionIsRebuiltBesideTheServedOneAndThenFlips() async throws {
        try await withGoldenLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: 6).generate(into: log)
            let head = try log.head().sequence
            let folder = path + "/projections"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            func write(_ rule: String) throws {
                let text = #"{"name": "pixel", "description": "test", "dataset_name_filter": "/PromptReco/%", "rule": "# + rule + "}"
                try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/pixel.json"))
            }
            let pixelOnly = #"{"and": [{"==": [{"var": "lumisection.rr.tracker-pixel"}, "GOOD"]}]}"#
            try write(pixelOnly)
            let runtime = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views"))
            try runtime.catchUp()
            let v1 = try CertificationJSONRuntime(definition: try DefinitionDirectory.load("pixel", from: folder), base: runtime)
            try v1.catchUp()
            #expect(v1.servedIdentity == v1.projection)
            let v1Result = outputBytes(try v1.result(asOf: head))

            // The description alone does not change the identity.
            let sameContent = try CertificationJSONDefinition(
                parsing: Array(#"{"name": "pixel", "description": "other words", "dataset_name_filter": "/PromptReco/%", "rule": "#.utf8)
                    + Array(pixelOnly.utf8) + [UInt8(ascii: "}")], source: "inline")
            #expect(sameContent.identity == v1.projection)

            try write(#"{"and": [{"==": [{"var": "lumisection.rr.tracker-pixel"}, "GOOD"]}, {"==": [{"var": "lumisection.oms.beam1_stable"}, true]}]}"#)
            let v2 = try CertificationJSONRuntime(definition: try DefinitionDirectory.load("pixel", from: folder), base: runtime, batchSize: 500)
            #expect(v2.projection != v1.projection)
            #expect(v2.namespace != v1.namespace)
            // Before it has caught up, the old identity serves.
            #expect(v2.servedIdentity == v1.projection)
            #expect(try v2.health().servedVersion == 0)
            try v2.catchUp(through: head / 2)
            #expect(v2.servedIdentity == v1.projection)
            #expect(outputBytes(try v2.result(asOf: head)) == v1Result)
            // Caught up: it serves, and the old rows are gone.
            try v2.catchUp()
            #expect(v2.servedIdentity == v2.projection)
            #expect(try v2.health().servedVersion == 1)
            #expect(try rowVersionCount(runtime.store, namespace: v1.namespace) == 0)
            let generator = GoldenGenerator(queries: ViewQueries(runtime: runtime))
            let expected = try generator.generate(rule: v2.definition.rule, filter: v2.definition.filter, asOf: head)
            #expect(outputBytes(try v2.result(asOf: head)) == outputBytes(expected))
            #expect(outputBytes(expected) != v1Result)
            // Reopened, the new identity is the served one.
            let reopened = try CertificationJSONRuntime(definition: v2.definition, base: runtime)
            #expect(reopened.servedIdentity == v2.projection && reopened.checkpoint == head)
        }
    }

    /// Events the definition cannot be changed by (a comment, a prescale, a flag on a component it
    /// does not read, an OMS bit it does not read, a flag on a dataset its filter excludes) cost no
    /// evaluation and write no row; a flag it reads that leaves the result as it was costs an
    /// evaluation but writes no row; one that changes the result writes exactly one row version.
    @Test func irrelevantEventWritesNoRowAndCostsNoEvaluation() async throws {
        try await withGoldenLedger { log, path in
            _ = try WorkloadGenerator(profile: .small, seed: 8).generate(into: log)
            let runtime = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views"))
            let definition = try DefinitionDirectory.load("golden-collisions", from: projectionsFolder)
            let golden = try CertificationJSONRuntime(definition: definition, base: runtime)
            try runtime.catchUp()
            try golden.catchUp()
            // A dataset with certified lumisections.
            let before = try golden.result(asOf: golden.checkpoint)
            let target = try #require(before.certifiedByDataset.keys.sorted().first)
            let run = Int(target.prefix { $0 != "-" })!
            let key = DatasetKey(run: run, name: String(target.drop { $0 != "-" }.dropFirst()))
            let first = before.certifiedByDataset[target]![0].lowerBound
            let ls = try LumisectionRange(first, first)
            let online = DatasetKey(run: run, name: DatasetKey.onlineName)

            let versions = try rowVersionCount(runtime.store, namespace: golden.namespace)
            let work = golden.work
            try await appendRaw(log, [
                .commentAdded(.run(run), text: "a note"),
                .prescaleSet(key, range: ls, index: 1, name: "p1"),
                .lumisectionFlagsSet(key, component: "csc-csc", range: ls, flag: Flag(.bad, comment: "not read"), rule: nil),
                .omsLumisectionBitsSet(online, range: ls, bits: ["castor_ready": false], comment: "not read"),
                .lumisectionFlagsSet(online, component: "tracker-pixel", range: ls, flag: Flag(.bad), rule: nil),
            ])
            try runtime.catchUp()
            try golden.catchUp()
            #expect(golden.work.evaluations == work.evaluations)
            #expect(try rowVersionCount(runtime.store, namespace: golden.namespace) == versions)

            // A flag it reads, equal to what is there: evaluated, nothing written.
            let goodAgain = try #require(try ViewQueries(runtime: runtime).flags(key, component: "tracker-pixel", asOf: runtime.checkpoint))
            let current = try #require(goodAgain.effectiveRanges.first { $0.range.first <= first && first <= $0.range.last })
            try await appendRaw(log, [.lumisectionFlagsSet(key, component: "tracker-pixel", range: ls, flag: current.value.flag, rule: nil)])
            try runtime.catchUp()
            try golden.catchUp()
            #expect(golden.work.evaluations == work.evaluations + 1)
            #expect(try rowVersionCount(runtime.store, namespace: golden.namespace) == versions)

            // A flag that takes the lumisection out: one new row version, at that event's sequence.
            let bad = try await appendRaw(
                log, [.lumisectionFlagsSet(key, component: "tracker-pixel", range: ls, flag: Flag(.bad, comment: "HV trip"), rule: nil)],
                actorKind: .human)
            try runtime.catchUp()
            try golden.catchUp()
            #expect(golden.work.evaluations == work.evaluations + 2)
            #expect(try rowVersionCount(runtime.store, namespace: golden.namespace) == versions + 1)
            let row = try runtime.store.read { s in
                try s.row(namespace: golden.namespace, view: CertificationJSONRuntime.rowsView, entity: datasetEntity(key), asOf: nil)
            }
            #expect(row?.version == bad)
            let after = try golden.result(asOf: bad)
            #expect(after.certified.lumisectionCount == before.certified.lumisectionCount - 1)
            let onDemand = try GoldenGenerator(queries: ViewQueries(runtime: runtime)).generate(rule: definition.rule, filter: definition.filter, asOf: bad)
            #expect(outputBytes(after) == outputBytes(onDemand))
            // As of the event before, the row is what it was.
            #expect(try golden.result(asOf: bad - 1).certified == before.certified)
        }
    }
}

/// The row key of a dataset: run u32 big-endian, then its name.
func datasetEntity(_ key: DatasetKey) -> [UInt8] {
    let r = UInt32(key.run)
    return [UInt8(r >> 24), UInt8((r >> 16) & 0xFF), UInt8((r >> 8) & 0xFF), UInt8(r & 0xFF)] + Array(key.name.utf8)
}
