import ArgumentParser
import Foundation
import LedgerCore
import LedgerStorage
import GoldenJSON
import GoldenService
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

/// Opens the runtimes of the certification-JSON definitions in `directory` over `base`'s views
/// (all of them, or the one named).
func openDefinitionRuntimes(base: ProjectionRuntime, directory: String, only name: String? = nil) throws
    -> [CertificationJSONRuntime]
{
    do {
        let definitions = try name.map { [try DefinitionDirectory.load($0, from: directory)] } ?? DefinitionDirectory.loadAll(from: directory)
        return try definitions.map { try CertificationJSONRuntime(definition: $0, base: base) }
    } catch let error as DefinitionError {
        throw CommandFailure(message: "\(error)", exitCode: 2)
    }
}

/// `runledger rebuild`: rebuilds the projection views from the whole log.
struct RebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the projection views from scratch (in --data/views), with progress on a terminal.",
        discussion: """
            Views are derived from the log and can always be rebuilt. Without --projection, the
            certification views are rebuilt, then every certification-JSON definition in
            --projections-directory. With --projection NAME, only that one: `certification`, or a
            definition name (e.g. golden-collisions; the certification views are brought up to date
            first, since a definition reads them). A projection that cannot apply an event stops
            there: the command names the event and exits 1; nothing is skipped.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "The projection to rebuild: certification, or a definition name from --projections-directory (default: all).")
    var projection: String?

    @Option(help: "The folder of certification-JSON definitions.")
    var projectionsDirectory: String = "projections"

    func run() async throws {
        let (log, runtime) = try openProjectionRuntime(data: dataOptions.data)
        defer { log.close() }
        var targets: [any MaintainedProjection] = []
        if projection == nil || projection == "certification" { targets.append(runtime) }
        if projection != "certification" {
            let known = DefinitionDirectory.names(in: projectionsDirectory)
            if let projection, !known.contains(projection) {
                throw ValidationError(
                    "unknown projection '\(projection)'; the projections are: \((["certification"] + known).joined(separator: ", "))")
            }
            let definitions = try openDefinitionRuntimes(base: runtime, directory: projectionsDirectory, only: projection)
            if projection != nil {
                do { try runtime.catchUp() } catch let failure as ProjectionRuntime.Failure {
                    throw CommandFailure(message: "the certification views cannot be brought up to date: \(failure)", exitCode: 1)
                }
            }
            targets += definitions
        }
        if projection == nil, targets.count > 1 {
            // Everything: the definitions follow the certification views on a second thread.
            let followers = Array(targets.dropFirst())
            let timing: FollowingRebuild.Timing
            do {
                timing = try FollowingRebuild.run(base: runtime, followers: followers, progress: progressBar(runtime.projection, Date()))
            } catch let failure as ProjectionRuntime.Failure {
                Console.endProgress()
                throw CommandFailure(message: "a projection stopped: \(failure); nothing after it was applied", exitCode: 1)
            }
            Console.endProgress()
            Console.out(
                String(format: "rebuilt %@: %llu events in %.2f s (%.0f events/s); views at sequence %llu", runtime.projection,
                    timing.events, timing.baseSeconds, Double(timing.events) / max(timing.baseSeconds, 1e-9), runtime.checkpoint))
            for f in followers {
                Console.out("rebuilt \(f.projection) beside it; at sequence \(f.checkpoint)")
            }
            Console.out(
                String(format: "all %d projections rebuilt in %.2f s (%.0f events/s)", targets.count, timing.totalSeconds,
                    Double(timing.events) / max(timing.totalSeconds, 1e-9)))
            // Every version is back: as-of reads before an earlier prune are exact again.
            try ViewRetention.reset(runtime.store)
            return
        }
        for target in targets { try rebuild(target) }
    }

    /// A progress bar for `name` started at `started`, drawn at most five times a second.
    private func progressBar(_ name: String, _ started: Date) -> (UInt64, UInt64) -> Void {
        var lastDraw = Date.distantPast
        return { done, total in
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
                String(format: "rebuild %@ %@ %3d%% %llu/%llu events, %.0f ev/s, %.0f s left", name, bar, percent, done, total,
                    rate, eta))
        }
    }

    private func rebuild(_ target: any MaintainedProjection) throws {
        let started = Date()
        do {
            let applied = try target.rebuild(progress: progressBar(target.projection, started))
            Console.endProgress()
            let seconds = Date().timeIntervalSince(started)
            Console.out(
                String(format: "rebuilt %@: %llu events in %.2f s (%.0f events/s); views at sequence %llu",
                    target.projection, applied, seconds, Double(applied) / max(seconds, 1e-9), target.checkpoint))
        } catch let failure as ProjectionRuntime.Failure {
            Console.endProgress()
            throw CommandFailure(
                message: "projection \(target.projection) stopped: \(failure); the views hold sequences up to \(target.checkpoint)",
                exitCode: 1)
        }
    }
}

/// `runledger projections`: the projections' progress.
struct ProjectionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projections",
        abstract: "Show each projection's checkpoint, lag behind the log, served version and any stop.",
        subcommands: [Status.self, Prune.self],
        defaultSubcommand: Status.self
    )

    /// `runledger projections prune`
    struct Prune: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give up the view versions before a sequence or time (retention); by default every version is kept.",
            discussion: """
                Per entity, the newest version at or before the given point is kept, so as-of reads at
                that point or later keep their exact answers; earlier as-of reads are refused with a
                clear error from then on (the retention floor). The log itself is never touched: a
                rebuild brings every version back.
                """)

        @OptionGroup var dataOptions: DataOptions

        @Option(help: "A log sequence or an ISO 8601 time: versions before it are given up.")
        var before: String

        @Option(help: "The folder of certification-JSON definitions.")
        var projectionsDirectory: String = "projections"

        func run() async throws {
            let (log, runtime) = try openProjectionRuntime(data: dataOptions.data)
            defer { log.close() }
            let sequence = try resolveAsOfSequence(before, in: log)
            let definitions = try openDefinitionRuntimes(base: runtime, directory: projectionsDirectory)
            let namespaces = [runtime.readNamespace] + definitions.map(\.namespace)
            let deleted = try ViewRetention.prune(runtime.store, namespaces: namespaces, before: sequence)
            Console.out("pruned \(deleted) view row versions before sequence \(sequence); as-of reads before \(sequence) are now refused")
        }
    }

    /// `runledger projections status`
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the projections' health: the certification views and every certification-JSON definition.")

        @OptionGroup var dataOptions: DataOptions

        @Option(help: "The folder of certification-JSON definitions.")
        var projectionsDirectory: String = "projections"

        @Flag(help: "Print JSON: one object per projection per line.")
        var json = false

        func run() async throws {
            let (log, runtime) = try openProjectionRuntime(data: dataOptions.data)
            defer { log.close() }
            let definitions = try openDefinitionRuntimes(base: runtime, directory: projectionsDirectory)
            let all: [any MaintainedProjection] = [runtime] + definitions
            for projection in all {
                let h = try projection.health()
                if json {
                    var j = JSONText()
                    j.beginObject()
                    j.key("projection"); j.string(h.projection)
                    j.key("checkpoint"); j.int(h.checkpoint)
                    j.key("head"); j.int(h.head)
                    j.key("lag"); j.int(h.lag)
                    j.key("served_version"); j.int(h.servedVersion)
                    if let golden = projection as? CertificationJSONRuntime {
                        j.key("served_identity"); j.string(golden.servedIdentity)
                    }
                    j.key("failure"); if let f = h.failure { j.string(f.description) } else { j.null() }
                    j.endObject()
                    Console.out(j.text)
                    continue
                }
                if let golden = projection as? CertificationJSONRuntime {
                    let serving = golden.servedIdentity == golden.projection ? "serving" : "building beside \(golden.servedIdentity)"
                    Console.out("\(h.projection): checkpoint \(h.checkpoint), log head \(h.head), lag \(h.lag) events, \(serving)")
                } else {
                    Console.out(
                        "\(h.projection): checkpoint \(h.checkpoint), log head \(h.head), lag \(h.lag) events, serving version \(h.servedVersion)")
                }
                if let f = h.failure { Console.out("stopped: \(f)") }
            }
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
