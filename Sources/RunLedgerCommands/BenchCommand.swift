import ArgumentParser
import Foundation
import LedgerCore
import LedgerStorage

/// `runledger bench`: benchmarks (run them from a release build).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run benchmarks; build with -c release first.",
        subcommands: [LogBench.self, ProjectionBench.self, GoldenBench.self, APIBench.self]
    )
}

/// One benchmark figure, printed as a JSON line with `--json`.
struct BenchMetric {
    var suite: String
    var metric: String
    var value: Double
    var unit: String

    var jsonLine: String {
        var j = JSONText()
        j.beginObject()
        j.key("suite"); j.string(suite)
        j.key("metric"); j.string(metric)
        j.key("value"); j.raw(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.3f", value))
        j.key("unit"); j.string(unit)
        j.endObject()
        return j.text
    }

    /// Prints the metric on standard output: its JSON line, or an aligned text line.
    func print(json: Bool) {
        let format = unit == "ratio" ? "%14.3f " : "%14.1f "
        Console.out(json ? jsonLine : metric.padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: format, value) + unit)
    }
}

/// `runledger bench log`: append, replay and size figures for the event log.
struct LogBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Measure durable appends (batch 1, 100, 1000), raw LMDB appends, replay and bytes per event.",
        discussion: """
            Events are realistic lumisection-flag decisions (run, dataset, component, LS range, status,
            comment, cause) with full envelopes. append_eps_batch1 uses 64 concurrent callers of one
            event each (group commit); append_eps_batch1_single_caller uses one caller. Batch 100 and
            1000 use one caller, one durable transaction per batch. raw_lmdb_eps_batch1000 appends the
            same events' canonical bytes uncompressed with MDB_APPEND, 1000 per durable transaction; the two
            alternate for --rounds rounds and the medians are reported.
            """
    )

    @Option(help: "Events for the batch-1000 run, the replay and the size figures.")
    var events: Int = 1_000_000

    @Option(help: "Directory for the temporary logs (default: the system temporary directory).")
    var workDirectory: String?

    @Option(help: "Alternating rounds of batch-1000 and raw appends (medians are reported).")
    var rounds: Int = 3

    @Option(help: "Seed for the synthetic events.")
    var seed: UInt64 = 42

    @Flag(help: "Print one JSON object per metric per line.")
    var json = false

    func run() async throws {
        guard events >= 10_000 else { throw ValidationError("--events must be at least 10000, got \(events)") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        let base = (workDirectory ?? NSTemporaryDirectory()) + "/runledger-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        func report(_ name: String, _ value: Double, _ unit: String) {
            BenchMetric(suite: "log", metric: name, value: value, unit: unit).print(json: json)
        }

        // Batch 1000 against raw LMDB, alternating three rounds so that both see the same disk and
        // machine conditions; medians are reported. The last round's log is kept for replay and sizes.
        Console.progress("bench: generating \(events) events")
        var source = SyntheticFlagEvents(seed: seed)
        let batches1000 = (0..<(events / 1000)).map { _ in source.nextBatch(count: 1000) }
        let mainDirectory = base + "/batch1000"
        var appendSeconds: [Double] = []
        var rawSeconds: [Double] = []
        var records: [[UInt8]] = []
        var log: EventLog! = nil
        for round in 1...rounds {
            try? FileManager.default.removeItem(atPath: mainDirectory)
            log?.close()
            log = try EventLog.open(directory: mainDirectory)
            Console.progress("bench: round \(round)/\(rounds): appending \(events) events, 1000 per batch")
            appendSeconds.append(try timeAppends(log, batches1000))
            if records.isEmpty {
                records = try log.read { snapshot in
                    var out: [[UInt8]] = []
                    out.reserveCapacity(events)
                    try snapshot.forEachEvent(from: 1) { e in
                        out.append(CanonicalEventCodec.encode(e))
                        return true
                    }
                    return out
                }
            }
            Console.progress("bench: round \(round)/\(rounds): raw LMDB appends")
            try? FileManager.default.removeItem(atPath: base + "/raw")
            rawSeconds.append(try RawLMDBBenchmark.appendSeconds(records: records, batchSize: 1000, directory: base + "/raw"))
        }
        try? FileManager.default.removeItem(atPath: base + "/raw")
        let appendEPS = Double(records.count) / median(appendSeconds)
        let rawEPS = Double(records.count) / median(rawSeconds)
        report("append_eps_batch1000", appendEPS, "events/s")
        report("raw_lmdb_eps_batch1000", rawEPS, "events/s")
        report("append_ratio_batch1000_vs_raw", appendEPS / rawEPS, "ratio")
        let averageRecord = Double(records.reduce(0) { $0 + $1.count }) / Double(records.count)
        report("canonical_bytes_per_event", averageRecord, "bytes")

        // The layouts we considered, on the same records (design/storage.md, "Frames and compression").
        Console.progress("bench: compression study")
        for figure in try CompressionStudy.measure(records: Array(records.prefix(120_000))) {
            report("study_\(figure.layout)_bytes_per_event", figure.bytesPerEvent, "bytes")
        }

        // Replay: decode, decompress, check the chain over the whole log.
        Console.progress("bench: replay")
        var best = Double.infinity
        for _ in 0..<3 {
            let r = try log.verify()
            guard r.isValid else { throw CommandFailure(message: "replay found a fault: \(r.failure!)", exitCode: 1) }
            best = min(best, r.seconds)
        }
        report("replay_eps", Double(records.count) / best, "events/s")

        // Sizes after compaction.
        Console.progress("bench: compacting")
        try log.backup(to: base + "/compact")
        log.close()
        var readOnly = EventLog.Options()
        readOnly.readOnly = true
        let compact = try EventLog.open(directory: base + "/compact", options: readOnly)
        let stats = try compact.statistics(countTypes: false)
        compact.close()
        report("bytes_per_event", stats.eventBytesPerEvent, "bytes")
        report("total_bytes_per_event", Double(stats.fileBytes) / Double(stats.eventCount), "bytes")
        try? FileManager.default.removeItem(atPath: mainDirectory)
        try? FileManager.default.removeItem(atPath: base + "/compact")

        // Batch 100.
        let n100 = min(events, 200_000)
        let batches100 = (0..<(n100 / 100)).map { _ in source.nextBatch(count: 100) }
        Console.progress("bench: appending \(n100) events, 100 per batch")
        let log100 = try EventLog.open(directory: base + "/batch100")
        let t100 = try timeAppends(log100, batches100)
        log100.close()
        report("append_eps_batch100", Double(n100) / t100, "events/s")

        // Batch 1: 64 concurrent callers, then one caller.
        let n1 = min(events, 64_000)
        let singles = (0..<n1).map { _ in source.nextBatch(count: 1) }
        Console.progress("bench: appending \(n1) single events from 64 concurrent callers")
        let log1 = try EventLog.open(directory: base + "/batch1")
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<64 {
                group.addTask {
                    var i = caller
                    while i < singles.count {
                        _ = try await log1.append(singles[i])
                        i += 64
                    }
                }
            }
            try await group.waitForAll()
        }
        let t1 = Date().timeIntervalSince(started)
        report("append_eps_batch1", Double(n1) / t1, "events/s")
        let nSerial = 3_000
        let serial = (0..<nSerial).map { _ in source.nextBatch(count: 1) }
        Console.progress("bench: appending \(nSerial) single events from one caller")
        let tSerial = try timeAppends(log1, serial)
        log1.close()
        Console.endProgress()
        report("append_eps_batch1_single_caller", Double(nSerial) / tSerial, "events/s")
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    private func timeAppends(_ log: EventLog, _ batches: [AppendBatch]) throws -> Double {
        let started = Date()
        for batch in batches { _ = try log.appendBlocking(batch) }
        return Date().timeIntervalSince(started)
    }
}
