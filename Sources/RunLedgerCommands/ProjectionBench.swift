import ArgumentParser
import Certification
import CertificationService
import Foundation
import GoldenJSON
import GoldenService
import LedgerCore
import LedgerStorage
import ProjectionViews
import Projections

/// `runledger bench projections`: rebuild throughput, as-of latency and catch-up lag.
struct ProjectionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Measure the projection rebuild rate, as-of read latency and catch-up lag under load.",
        discussion: """
            rebuild_eps: every view rebuilt from the whole workload log. certjson_rebuild_*: then each
            certification-JSON definition in --projections-directory rebuilt over those views;
            rebuild_all_eps: the log's events over the time of both. asof_p50_us / asof_p99_us: the
            lumisection flag ranges of every component of a random dataset, at a random version, in
            process. catchup_lag_ms_p99: from an append's acknowledgement until every projection reflects it,
            under a steady 1,000 appends/s (every projection: the views and each definition). The workload is generated into a temporary directory unless
            --workload names an existing data directory (generating `year` takes a few minutes).
            """
    )

    @Option(help: "The workload profile to generate when --workload is not given.")
    var profile: String = "year"

    @Option(help: "An existing data directory holding a generated workload (it is copied first).")
    var workload: String?

    @Option(help: "As-of samples.")
    var samples: Int = 20_000

    @Option(help: "Seconds of steady load for the catch-up lag.")
    var loadSeconds: Double = 5

    @Option(help: "The folder of certification-JSON definitions rebuilt after the views.")
    var projectionsDirectory: String = "projections"

    @ArgumentParser.Flag(help: "Print one JSON object per metric per line.")
    var json = false

    func run() async throws {
        let base = NSTemporaryDirectory() + "runledger-bench-projections-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        func report(_ name: String, _ value: Double, _ unit: String) {
            BenchMetric(suite: "projections", metric: name, value: value, unit: unit).print(json: json)
        }
        let data = base + "/data"
        try prepareBenchWorkload(at: data, copying: workload, profile: profile)

        // Rebuild.
        let log = try EventLog.open(directory: data)
        defer { log.close() }
        let store = try ViewStore.open(directory: data + "/views")
        let runtime = try ProjectionRuntime(log: log, store: store)
        Console.progress("bench: rebuilding")
        let started = Date()
        let applied = try runtime.rebuild()
        let seconds = Date().timeIntervalSince(started)
        Console.endProgress()
        report("rebuild_eps", Double(applied) / seconds, "events/s")
        report("rebuild_events", Double(applied), "events")

        // The certification-JSON definitions, rebuilt over the views just built.
        let definitions = try openDefinitionRuntimes(base: runtime, directory: projectionsDirectory)
        var definitionSeconds = 0.0
        for golden in definitions {
            Console.progress("bench: rebuilding \(golden.projection)")
            let t0 = Date()
            try golden.rebuild()
            let s = Date().timeIntervalSince(t0)
            definitionSeconds += s
            Console.endProgress()
            report("certjson_rebuild_s_\(golden.definition.name)", s, "s (\(golden.work.evaluations) evaluations, \(golden.work.rowsWritten) row versions)")
        }
        if !definitions.isEmpty {
            report("certjson_rebuild_eps", Double(applied) * Double(definitions.count) / definitionSeconds, "events/s per definition")
            report("rebuild_sequential_eps", Double(applied) / (seconds + definitionSeconds), "events/s (views, then \(definitions.count) definitions)")
            // Everything again, the definitions following the views on a second thread.
            Console.progress("bench: rebuilding the views with the definitions following")
            let timing = try FollowingRebuild.run(base: runtime, followers: definitions)
            Console.endProgress()
            report("rebuild_all_eps", Double(timing.events) / timing.totalSeconds, "events/s (views and \(definitions.count) definitions following)")
            report("rebuild_all_views_eps", Double(timing.events) / timing.baseSeconds, "events/s (the views alone, in that run)")
        }

        // As-of reads of a random dataset's flag ranges at a random version.
        let queries = ViewQueries(runtime: runtime)
        let head = runtime.checkpoint
        let datasetIDs = try log.read { try $0.streamIDs(prefix: "dataset/") }
        let keys: [DatasetKey] = datasetIDs.compactMap { id in
            guard case .dataset(let run, let name)? = try? StreamName(parsing: id) else { return nil }
            return DatasetKey(run: run, name: name)
        }
        guard !keys.isEmpty else { throw CommandFailure(message: "the workload has no datasets", exitCode: 1) }
        var random = SeededRandom(seed: 7)
        var latencies: [Double] = []
        latencies.reserveCapacity(samples)
        var ranges = 0
        for _ in 0..<samples {
            let key = keys[random.int(0...(keys.count - 1))]
            let at = UInt64(random.int(1...Int(head)))
            let t0 = DispatchTime.now().uptimeNanoseconds
            let flags = try queries.allFlags(key, asOf: at)
            let t1 = DispatchTime.now().uptimeNanoseconds
            ranges += flags.values.reduce(0) { $0 + $1.effectiveRanges.count }
            latencies.append(Double(t1 - t0) / 1_000)
        }
        latencies.sort()
        report("asof_p50_us", latencies[latencies.count / 2], "µs")
        report("asof_p99_us", latencies[Int(Double(latencies.count) * 0.99)], "µs")
        report("asof_ranges_per_read", Double(ranges) / Double(samples), "ranges")

        // Catch-up lag under a steady 1,000 appends/s.
        // The worker brings the views, then every definition, up to date (as ProjectionService does).
        let service = Task.detached {
            while !Task.isCancelled {
                var n = (try? runtime.catchUp()) ?? 0
                for golden in definitions { n += (try? golden.catchUp()) ?? 0 }
                if n == 0 { try? await Task.sleep(for: .microseconds(500)) }
            }
        }
        defer { service.cancel() }
        // Four appenders share the 1,000 appends/s (one durable commit each, grouped by the writer);
        // each measures, for its own appends, the time from acknowledgement until the views have it.
        let runs = Array(Set(keys.map(\.run)).sorted().prefix(4))
        let perAppender = 1_000 / runs.count
        let duration = loadSeconds
        let allLags = try await withThrowingTaskGroup(of: [Double].self) { group in
            for run in runs {
                group.addTask {
                    var session = CommandSession(
                        log: log, context: CommandContext(actor: "bench", actorKind: .automatic, time: .now))
                    let lsCount = max(1, try session.run(run).lumisectionCount ?? 1)
                    var lags: [Double] = []
                    let start = Date()
                    var i = 0
                    while Date().timeIntervalSince(start) < duration {
                        let due = start.addingTimeInterval(Double(i) / Double(perAppender))
                        let wait = due.timeIntervalSinceNow
                        if wait > 0 { try await Task.sleep(for: .microseconds(Int(wait * 1_000_000))) }
                        i += 1
                        let ls = 1 + i % lsCount
                        session.context.time = .now
                        try session.execute(
                            .dataset(.online(run: run), .setPrescale(range: try LumisectionRange(ls, ls), index: i % 7, name: "p\(i % 7)")))
                        guard let result = try await session.commit(reason: "bench load") else { continue }
                        let acked = DispatchTime.now().uptimeNanoseconds
                        _ = await runtime.waitUntil(sequence: result.lastSequence, timeout: .seconds(5))
                        for golden in definitions { _ = await golden.waitUntil(sequence: result.lastSequence, timeout: .seconds(5)) }
                        lags.append(Double(DispatchTime.now().uptimeNanoseconds - acked) / 1_000_000)
                    }
                    return lags
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        var lags = allLags
        lags.sort()
        report("catchup_lag_ms_p50", lags[lags.count / 2], "ms")
        report("catchup_lag_ms_p99", lags[Int(Double(lags.count) * 0.99)], "ms")
        report("catchup_appends_per_s", Double(lags.count) / loadSeconds, "appends/s (target load 1000)")
    }
}

/// Puts a workload log at `path`: a compacted copy of `workload` when given, else a freshly
/// generated `profile` workload (seed 1). Shared by the projection and golden benchmarks.
func prepareBenchWorkload(at path: String, copying workload: String?, profile: String) throws {
    if let workload {
        var readOnly = EventLog.Options()
        readOnly.readOnly = true
        let source = try EventLog.open(directory: workload, options: readOnly)
        defer { source.close() }
        try source.backup(to: path)
        return
    }
    guard let chosen = WorkloadGenerator.Profile(rawValue: profile) else {
        throw ValidationError("unknown profile '\(profile)'; choose small, year or decade")
    }
    Console.progress("bench: generating the \(profile) workload")
    let log = try EventLog.open(directory: path)
    defer { log.close() }
    _ = try WorkloadGenerator(profile: chosen, seed: 1).generate(into: log) { done, total in
        Console.progress("bench: generating \(done)/\(total) runs")
    }
}
