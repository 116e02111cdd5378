import ArgumentParser
import Certification
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage

/// `runledger audit`: who certified what, when and why.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Answer who certified what, when and why, from the log.",
        discussion: """
            runledger audit --run N                                  the run's history
            runledger audit --run N --dataset D [--component C]      a dataset's history (optionally one component)
            runledger audit --run N --dataset D --component C --ls K who set this lumisection, and every earlier decision
            runledger audit --run N --dataset D --diff FROM:TO       what changed between two log sequences
            runledger audit --actor A [--since T] [--until T]        everything one actor did in a time window
            Times are ISO 8601 (2024-05-01 or 2024-05-01T12:00:00Z). --as-of takes a sequence or a time.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "The run number.")
    var run: Int?

    @Option(help: "The dataset name (online, /PromptReco/Collisions2024C/DQM, ...).")
    var dataset: String?

    @Option(help: "The component, e.g. tracker-pixel.")
    var component: String?

    @Option(help: "The lumisection.")
    var ls: Int?

    @Option(help: "The actor (an e-mail or an automatic writer's id).")
    var actor: String?

    @Option(help: "Start of the actor's time window (ISO 8601).")
    var since: String?

    @Option(help: "End of the actor's time window (ISO 8601).")
    var until: String?

    @Option(help: "Answer as of this log sequence or ISO 8601 time.")
    var asOf: String?

    @Option(help: "Two log sequences FROM:TO: what changed in the dataset between them.")
    var diff: String?

    @Option(help: "At most this many rows.")
    var limit: Int = 10_000

    @ArgumentParser.Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if actor == nil && run == nil { throw ValidationError("give --run N (optionally with --dataset, --component, --ls) or --actor A") }
        if actor != nil && run != nil { throw ValidationError("--actor and --run are separate questions; give one of them") }
        if ls != nil && (component == nil || dataset == nil) {
            throw ValidationError("--ls needs --dataset and --component: whose flag at that lumisection?")
        }
        if diff != nil && dataset == nil { throw ValidationError("--diff needs --dataset") }
        if let ls, ls < 1 { throw ValidationError("--ls must be 1 or more, got \(ls)") }
    }

    func run() async throws {
        var options = EventLog.Options()
        options.readOnly = true
        let log: EventLog
        do {
            log = try EventLog.open(directory: dataOptions.data, options: options)
        } catch {
            throw CommandFailure(message: "cannot open '\(dataOptions.data)': \(error)", exitCode: 2)
        }
        defer { log.close() }
        let queries = AuditQueries(log: log)
        let asOfSequence = try resolveAsOf(log)

        if let actor {
            let from = try since.map { try Self.time($0, "--since") }
            let to = try until.map { try Self.time($0, "--until") }
            let entries = try queries.activity(actor: actor, since: from, until: to, limit: limit)
            print(entries, title: "\(entries.count) events by \(actor)")
            return
        }
        guard let run else { return }
        if let diff {
            let parts = diff.split(separator: ":").compactMap { UInt64($0) }
            guard parts.count == 2, parts[0] <= parts[1] else {
                throw ValidationError("--diff takes FROM:TO, two log sequences with FROM ≤ TO, e.g. 1200:3400")
            }
            try printDiff(try queries.diff(run: run, dataset: dataset!, from: parts[0], to: parts[1]))
            return
        }
        if let ls, let component, let dataset {
            let p = try queries.provenance(run: run, dataset: dataset, component: component, lumisection: ls, asOf: asOfSequence)
            try printProvenance(p)
            return
        }
        let entries = try queries.history(run: run, dataset: dataset, component: component, asOf: asOfSequence)
        guard !entries.isEmpty || dataset != nil else {
            throw CommandFailure(
                message: "run \(run) has no events in '\(dataOptions.data)'" + (asOfSequence.map { " as of sequence \($0)" } ?? ""),
                exitCode: 1)
        }
        let what = dataset.map { "run \(run) dataset \($0)" + (component.map { " component \($0)" } ?? "") } ?? "run \(run)"
        print(Array(entries.prefix(limit)), title: "\(entries.count) events of \(what)")
    }

    private func resolveAsOf(_ log: EventLog) throws -> UInt64? {
        try asOf.map { try resolveAsOfSequence($0, in: log) }
    }

    static func time(_ text: String, _ option: String) throws -> LedgerTimestamp {
        guard let t = LedgerTimestamp(iso8601: text) else {
            throw ValidationError("\(option) '\(text)' is not an ISO 8601 time; use 2024-05-01 or 2024-05-01T12:00:00Z")
        }
        return t
    }

    // MARK: - Output

    private func entryJSON(_ e: AuditEntry, into j: inout JSONText) {
        j.beginObject()
        j.key("seq"); j.int(e.sequence)
        j.key("recorded_at"); j.string(e.recordedAt.iso8601)
        j.key("stream"); j.string(e.stream)
        j.key("type"); j.string(e.type)
        j.key("actor"); j.string(e.actor)
        j.key("actor_kind"); j.string(e.actorKind.description)
        j.key("change"); j.string(e.summary)
        j.key("reason"); j.string(e.reason)
        j.endObject()
    }

    private func print(_ entries: [AuditEntry], title: String) {
        if json {
            var j = JSONText()
            j.beginArray()
            for e in entries { entryJSON(e, into: &j) }
            j.endArray()
            Console.out(j.text)
            return
        }
        Console.out(title)
        guard !entries.isEmpty else { return }
        Console.out(Self.row(["seq", "recorded at (UTC)", "actor", "change", "reason"]))
        for e in entries {
            Console.out(
                Self.row([
                    String(e.sequence), e.recordedAt.iso8601, e.actor + (e.actorKind == .automatic ? " (auto)" : ""),
                    (run == nil ? e.stream + ": " : "") + e.summary, e.reason,
                ]))
        }
    }

    private func printProvenance(_ p: FlagProvenance) throws {
        if json {
            var j = JSONText()
            j.beginObject()
            j.key("run"); j.int(p.dataset.run)
            j.key("dataset"); j.string(p.dataset.name)
            j.key("component"); j.string(p.component)
            j.key("ls"); j.int(p.lumisection)
            j.key("as_of"); j.int(p.asOf)
            j.key("status"); if let f = p.current { j.string(f.status.rawValue) } else { j.null() }
            j.key("comment"); j.string(p.current?.comment ?? "")
            j.key("cause"); j.string(p.current?.cause ?? "")
            j.key("manual_override"); j.bool(p.isManualOverride)
            j.key("decided_by"); if let d = p.decidedBy { entryJSON(d, into: &j) } else { j.null() }
            j.key("chain"); j.beginArray()
            for e in p.chain { entryJSON(e, into: &j) }
            j.endArray()
            j.endObject()
            Console.out(j.text)
            return
        }
        let place = "run \(p.dataset.run) \(p.dataset.name) \(p.component) LS \(p.lumisection) (as of sequence \(p.asOf))"
        guard let flag = p.current, let by = p.decidedBy else {
            Console.out("\(place): never flagged")
            return
        }
        Console.out("\(place): \(flag.status.rawValue)" + (flag.comment.isEmpty ? "" : " \"\(flag.comment)\"") + (flag.cause.isEmpty ? "" : " (\(flag.cause))"))
        Console.out("set by \(by.actor) (\(by.actorKind)) at \(by.recordedAt.iso8601), sequence \(by.sequence); reason: \(by.reason)"
            + (p.isManualOverride ? "; a manual override of the automatic flag" : ""))
        Console.out("")
        print(p.chain, title: "every decision about this lumisection, oldest first:")
    }

    private func printDiff(_ d: DatasetDiff) throws {
        if json {
            var j = JSONText()
            j.beginObject()
            j.key("run"); j.int(d.dataset.run)
            j.key("dataset"); j.string(d.dataset.name)
            j.key("from"); j.int(d.from)
            j.key("to"); j.int(d.to)
            j.key("flag_changes"); j.beginArray()
            for c in d.flagChanges {
                j.beginObject()
                j.key("component"); j.string(c.component)
                j.key("first_ls"); j.int(c.range.first)
                j.key("last_ls"); j.int(c.range.last)
                j.key("before"); if let b = c.before { j.string(b.status.rawValue) } else { j.null() }
                j.key("after"); if let a = c.after { j.string(a.status.rawValue) } else { j.null() }
                j.key("comment"); j.string(c.after?.comment ?? "")
                j.endObject()
            }
            j.endArray()
            j.key("state_changes"); j.beginObject()
            for (ws, change) in d.stateChanges.sorted(by: { $0.key < $1.key }) {
                j.key(ws); j.beginArray(); j.string(change.0); j.string(change.1); j.endArray()
            }
            j.endObject()
            j.key("events"); j.beginArray()
            for e in d.events { entryJSON(e, into: &j) }
            j.endArray()
            j.endObject()
            Console.out(j.text)
            return
        }
        Console.out("run \(d.dataset.run) \(d.dataset.name): changes between sequence \(d.from) and \(d.to)")
        Console.out("")
        Console.out("\(d.flagChanges.count) flag changes")
        if !d.flagChanges.isEmpty {
            Console.out(Self.row(["component", "lumisections", "before", "after"]))
            for c in d.flagChanges {
                Console.out(Self.row([c.component, c.range.description, c.before?.description ?? "-", c.after?.description ?? "-"]))
            }
        }
        Console.out("")
        Console.out("\(d.stateChanges.count) state changes")
        for (ws, change) in d.stateChanges.sorted(by: { $0.key < $1.key }) {
            Console.out("  \(ws): \(change.0) → \(change.1)")
        }
        Console.out("")
        print(d.events, title: "\(d.events.count) events in between")
    }

    /// A table row: fixed widths for the short columns, the rest as is.
    static func row(_ cells: [String]) -> String {
        let widths = [8, 28, 34, 60]
        var out = ""
        for (i, cell) in cells.enumerated() {
            if i < widths.count && i < cells.count - 1 {
                out += cell.padding(toLength: max(widths[i], cell.count), withPad: " ", startingAt: 0) + "  "
            } else {
                out += cell
            }
        }
        return out
    }
}
