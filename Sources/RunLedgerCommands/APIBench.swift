import APIServer
import Access
import ArgumentParser
import Certification
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage
import Logging
import Projections
import Rules
import Hummingbird
import ProjectionViews
import Synchronization

/// `runledger bench api`: requests per second and latency of the HTTP API on loopback, and lost updates under concurrent writers.
struct APIBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Measure GET run / GET ranges throughput and p99 with N connections, and lost updates with concurrent writers.",
        discussion: """
            The server runs in this process on a loopback port; the load comes from --connections
            keep-alive connections driven by two threads with poll(2), one request in flight per
            connection, for --seconds per metric (bounded in time).
            lost_updates: --writers threads set flags on the same dataset with expected versions,
            retrying on 409; the final lumisection statuses must equal the serial application of the
            accepted commands in stream-version order. Build with -c release first.
            """
    )

    @Option(help: "A data directory to copy as the workload (default: generate the small profile).")
    var workload: String?

    @Option(help: "Seconds of load per read metric.")
    var seconds: Double = 5

    @Option(help: "Concurrent keep-alive connections for the read metrics.")
    var connections: Int = 64

    @Option(help: "Concurrent writers for the lost-update check.")
    var writers: Int = 32

    @Option(help: "Accepted writes each writer makes.")
    var writesPerWriter: Int = 10

    @ArgumentParser.Flag(help: "Print one JSON object per metric per line.")
    var json = false

    func run() async throws {
        guard seconds > 0, seconds <= 300 else { throw ValidationError("--seconds must be in (0, 300]") }
        guard (1...1024).contains(connections), (1...256).contains(writers) else {
            throw ValidationError("--connections must be 1…1024 and --writers 1…256")
        }
        let base = NSTemporaryDirectory() + "runledger-bench-api-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        try prepareBenchWorkload(at: base + "/data", copying: workload, profile: "small")
        Console.endProgress()

        let log = try EventLog.open(directory: base + "/data")
        defer { log.close() }
        try await appendDemoPermissions(to: log, reason: "bench permissions")
        let runtime = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: base + "/data/views"))
        _ = try runtime.catchUp()
        let resolver = try await IdentityResolver(
            configuration: DemoAccess.configuration(from: AccessConfiguration(), bindHost: "127.0.0.1"), bindHost: "127.0.0.1")
        let api = LedgerAPI(
            log: log, runtime: runtime, settings: ServerSettings(),
            access: AccessGate(resolver: resolver, log: log, bindHost: "127.0.0.1"))
        let queries = ViewQueries(runtime: runtime)
        let runs = try queries.runs(asOf: runtime.checkpoint)
        guard let openRun = runs.last(where: { $0.state == .open && ($0.lumisectionCount ?? 0) >= writers * writesPerWriter / 4 })
            ?? runs.last(where: { $0.state == .open })
        else { throw CommandFailure(message: "the workload has no OPEN run to write to", exitCode: 2) }

        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = RunLedgerServer.application(api: api, host: "127.0.0.1", port: 0, logger: logger) { port in
            portContinuation.yield(port)
        }
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = portStream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CommandFailure(message: "the server did not start", exitCode: 1) }

        func report(_ name: String, _ value: Double, _ unit: String) {
            BenchMetric(suite: "api", metric: name, value: value, unit: unit).print(json: json)
        }
        let runNumbers = runs.map(\.run)
        let getRun = try await offLoop { try load(port: port) { i in "/v1/runs/\(runNumbers[i % runNumbers.count])" } }
        report("get_run_rps", getRun.rps, "req/s")
        report("get_run_p99_ms", getRun.p99, "ms")
        let getRanges = try await offLoop { try load(port: port) { i in "/v1/runs/\(runNumbers[i % runNumbers.count])/ranges?dataset=online" } }
        report("get_ranges_rps", getRanges.rps, "req/s")
        report("get_ranges_p99_ms", getRanges.p99, "ms")
        let writes = try await offLoop { try lostUpdates(port: port, run: openRun.run, lumisections: openRun.lumisectionCount ?? 1) }
        report("write_accepted", Double(writes.accepted), "writes")
        report("write_conflicts_409", Double(writes.conflicts), "answers")
        report("lost_updates", Double(writes.lost), "updates")
        server.cancel()
        _ = try? await server.value
    }

    /// Runs blocking load code on a thread of its own, so that it never blocks the executor the server's
    /// handlers run on (in `bench api` that is NIO's event loops).
    func offLoop<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Drives `connections` keep-alive connections for `seconds`, each request's path from `path(i)`.
    ///
    /// Two threads share the connections and wait on them with poll(2), so the load itself stays
    /// light: one request in flight per connection, its latency measured from write to last byte.
    func load(port: Int, path: @escaping @Sendable (Int) -> String) throws -> (rps: Double, p99: Double) {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let collected = Mutex<(latencies: [Double], failures: [String])>(([], []))
        let group = DispatchGroup()
        let started = Date()
        let threads = min(2, connections)
        for t in 0..<threads {
            let mine = stride(from: t, to: connections, by: threads).map { $0 }
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var latencies: [Double] = []
                latencies.reserveCapacity(200_000)
                do {
                    let clients = try mine.map { _ in try LoopbackHTTPClient(port: port) }
                    var sentAt = [UInt64](repeating: 0, count: clients.count)
                    var next = mine.map { $0 * 7919 }
                    var open = clients.count
                    var active = [Bool](repeating: true, count: clients.count)
                    for (i, c) in clients.enumerated() {
                        sentAt[i] = DispatchTime.now().uptimeNanoseconds
                        try c.write("GET", path(next[i]))
                    }
                    var fds = clients.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
                    while open > 0 {
                        let ready = poll(&fds, nfds_t(fds.count), 1000)
                        guard ready >= 0 else { throw LoopbackHTTPClient.Failure(description: "poll failed: errno \(errno)") }
                        for i in fds.indices where active[i] && fds[i].revents & Int16(POLLIN) != 0 {
                            guard let answer = try clients[i].readAvailable() else { continue }
                            let now = DispatchTime.now().uptimeNanoseconds
                            latencies.append(Double(now - sentAt[i]) / 1e6)
                            guard answer.status == 200 else { throw LoopbackHTTPClient.Failure(description: "status \(answer.status)") }
                            if now < deadline {
                                next[i] += 1
                                sentAt[i] = DispatchTime.now().uptimeNanoseconds
                                try clients[i].write("GET", path(next[i]))
                            } else {
                                active[i] = false
                                fds[i].events = 0
                                open -= 1
                            }
                        }
                    }
                } catch {
                    collected.withLock { $0.failures.append("\(error)") }
                }
                collected.withLock { $0.latencies += latencies }
            }
        }
        group.wait()
        let elapsed = Date().timeIntervalSince(started)
        let (unsorted, failures) = collected.withLock { $0 }
        if let failure = failures.first { throw CommandFailure(message: "load failed: \(failure)", exitCode: 1) }
        let latencies = unsorted.sorted()
        let p99 = latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * 0.99))]
        return (Double(latencies.count) / elapsed, p99)
    }

    /// Concurrent writers with expected versions; counts lumisections whose final status differs from the serial replay.
    func lostUpdates(port: Int, run: Int, lumisections: Int) throws -> (accepted: Int, conflicts: Int, lost: Int) {
        let component = "cms-cms"
        let setup = try LoopbackHTTPClient(port: port)
        func perLS(_ asOf: String) throws -> [String] {
            let answer = try setup.send("GET", "/v1/runs/\(run)/ranges?dataset=online&component=\(component)&per_ls=true&as_of=\(asOf)")
            let value = try JSONValue.parse(answer.body)
            return (value["components"]?[component]?.arrayValue ?? []).map { $0["status"]?.stringValue ?? "" }
        }
        let initial = try perLS("latest")
        let collected = Mutex<(accepted: [(version: Int, ls: Int, status: String)], conflicts: Int, failures: [String])>(([], 0, []))
        let group = DispatchGroup()
        for w in 0..<writers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let client = try LoopbackHTTPClient(port: port)
                    var known = 0
                    var done = 0
                    var attempts = 0
                    while done < writesPerWriter {
                        attempts += 1
                        guard attempts < writesPerWriter * 200 else { throw LoopbackHTTPClient.Failure(description: "writer \(w) starved") }
                        let ls = (w * writesPerWriter + done) % max(1, lumisections) + 1
                        let status = (w + done) % 2 == 0 ? "GOOD" : "BAD"
                        let body = #"{"dataset":"online","component":"\#(component)","start":\#(ls),"end":\#(ls),"status":"\#(status)","comment":"bench writer \#(w) write \#(done)","expected_version":\#(known)}"#
                        let answer = try client.send(
                            "POST", "/v1/datasets/\(run)/set-flags", headers: [("email", "expert@demo")], body: Array(body.utf8))
                        let value = try JSONValue.parse(answer.body)
                        switch answer.status {
                        case 200:
                            let version = Int(value["stream_version"]?.numberValue ?? -1)
                            collected.withLock { $0.accepted.append((version, ls, status)) }
                            known = version
                            done += 1
                        case 409:
                            known = Int(value["current_version"]?.numberValue ?? 0)
                            collected.withLock { $0.conflicts += 1 }
                        default:
                            throw LoopbackHTTPClient.Failure(description: "write answered \(answer.status): \(value.serialized())")
                        }
                    }
                } catch {
                    collected.withLock { $0.failures.append("\(error)") }
                }
            }
        }
        group.wait()
        let (accepted, conflicts, failures) = collected.withLock { $0 }
        if let failure = failures.first { throw CommandFailure(message: "writers failed: \(failure)", exitCode: 1) }
        // Serial application of the accepted commands, in stream-version order.
        var expected = initial
        if expected.count < lumisections { expected += Array(repeating: "", count: lumisections - expected.count) }
        let ordered = accepted.sorted { $0.version < $1.version }
        var lost = Set(ordered.map(\.version)).count == ordered.count ? 0 : ordered.count - Set(ordered.map(\.version)).count
        for a in ordered { expected[a.ls - 1] = a.status }
        let head = try setup.send("GET", "/v1/version")
        let sequence = Int(try JSONValue.parse(head.body)["sequence"]?.numberValue ?? 0)
        let final = try perLS(String(sequence))
        for i in 0..<min(expected.count, final.count) where expected[i] != final[i] { lost += 1 }
        return (accepted.count, conflicts, lost)
    }
}
