import ArgumentParser
import Foundation
import LedgerCore
import LedgerStorage
import Projections

/// Opens the log read-only and the views beside it, with clear errors.
func openProjectionRuntime(data: String, readOnlyViews: Bool = false) throws -> (EventLog, ProjectionRuntime) {
    var options = EventLog.Options()
    options.readOnly = true
    let log: EventLog
    do {
        log = try EventLog.open(directory: data, options: options)
    } catch {
        throw CommandFailure(message: "cannot open '\(data)': \(error)", exitCode: 2)
    }
    let store = try ViewStore.open(directory: data + "/views", readOnly: readOnlyViews)
    return (log, try ProjectionRuntime(log: log, store: store))
}

/// `runledger rebuild`: rebuilds the projection views from the whole log.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the projection views from scratch (in --data/views), with progress on a terminal.",
        discussion: """
            Views are derived from the log and can always be rebuilt. A projection that cannot apply an
            event stops there: the command names the event and exits 1; nothing is skipped.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "The projection to rebuild (the only one today: certification).")
    var projection: String = "certification"

    func run() async throws {
        guard projection == "certification" else {
            throw ValidationError("unknown projection '\(projection)'; the projections are: certification")
        }
        let (log, runtime) = try openProjectionRuntime(data: dataOptions.data)
        defer { log.close() }
        let started = Date()
        var lastDraw = Date.distantPast
        do {
            let applied = try runtime.rebuild { done, total in
                let now = Date()
                guard now.timeIntervalSince(lastDraw) > 0.2 else { return }
                lastDraw = now
                let rate = Double(done) / max(now.timeIntervalSince(started), 1e-6)
                let percent = total == 0 ? 100 : Int(Double(done) * 100 / Double(total))
                let width = 30
                let filled = total == 0 ? width : Int(Double(done) / Double(total) * Double(width))
                let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
                let eta = rate > 0 ? Double(total - done) / rate : 0
                Console.progress(
                    String(format: "rebuild %@ %@ %3d%% %llu/%llu events, %.0f ev/s, %.0f s left", runtime.projection, bar,
                        percent, done, total, rate, eta))
            }
            Console.endProgress()
            let seconds = Date().timeIntervalSince(started)
            Console.out(
                String(format: "rebuilt %@: %llu events in %.2f s (%.0f events/s); views at sequence %llu",
                    runtime.projection, applied, seconds, Double(applied) / max(seconds, 1e-9), runtime.checkpoint))
        } catch let failure as ProjectionRuntime.Failure {
            Console.endProgress()
            throw CommandFailure(
                message: "projection \(runtime.projection) stopped: \(failure); the views hold sequences up to \(runtime.checkpoint)",
                exitCode: 1)
        }
    }
}

/// `runledger projections`: the projections' progress.
struct ProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Show each projection's checkpoint, lag behind the log, served version and any stop.",
        subcommands: [Status.self],
        defaultSubcommand: Status.self
    )

    /// `runledger projections status`
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the projections' health.")

        @OptionGroup var dataOptions: DataOptions

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            let (log, runtime) = try openProjectionRuntime(data: dataOptions.data)
            defer { log.close() }
            let h = try runtime.health()
            if json {
                var j = JSONText()
                j.beginObject()
                j.key("projection"); j.string(h.projection)
                j.key("checkpoint"); j.int(h.checkpoint)
                j.key("head"); j.int(h.head)
                j.key("lag"); j.int(h.lag)
                j.key("served_version"); j.int(h.servedVersion)
                j.key("failure"); if let f = h.failure { j.string(f.description) } else { j.null() }
                j.endObject()
                Console.out(j.text)
                return
            }
            Console.out("\(h.projection): checkpoint \(h.checkpoint), log head \(h.head), lag \(h.lag) events, serving version \(h.servedVersion)")
            if let f = h.failure { Console.out("stopped: \(f)") }
        }
    }
}

/// `runledger _catch-up`: applies the log to the views in small batches (crash tests).
struct CatchUpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_catch-up", abstract: "Bring the views up to the log's head in small batches.", shouldDisplay: false)

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Events per transaction.")
    var batchSize: Int = 200

    func run() async throws {
        let (log, runtime) = try openProjectionRuntime(data: dataOptions.data)
        defer { log.close() }
        runtime.batchSize = max(1, batchSize)
        try runtime.catchUp()
        Console.out("caught up at \(runtime.checkpoint)")
    }
}
