import ArgumentParser
import Foundation
import LedgerCore
import LedgerStorage

/// `runledger log`: look at the raw event log.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Inspect the raw event log: tail, show, stats, train-dictionary.",
        subcommands: [Tail.self, Show.self, Stats.self, TrainDictionary.self]
    )

    /// Opens the log read-only for inspection commands.
    static func openReadOnly(_ data: String) throws -> EventLog {
        var options = EventLog.Options()
        options.readOnly = true
        do {
            return try EventLog.open(directory: data, options: options)
        } catch {
            throw CommandFailure(message: "cannot open '\(data)': \(error)", exitCode: 2)
        }
    }

    /// `runledger log tail`: the last events as JSON lines.
    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the last events as JSON lines (envelope and payload), oldest first.")

        @OptionGroup var dataOptions: DataOptions

        @Option(name: [.customShort("n"), .customLong("lines")], help: "How many events to print.")
        var count: Int = 10

        @Flag(name: [.short, .long], help: "Keep printing new events as they are appended (Ctrl-C to stop).")
        var follow = false

        func run() async throws {
            guard count >= 0 else { throw ValidationError("--lines must be 0 or more, got \(count)") }
            let log = try openReadOnly(dataOptions.data)
            defer { log.close() }
            var next: UInt64 = try log.read { snapshot in
                let head = try snapshot.head.sequence
                let first = head >= UInt64(count) ? head - UInt64(count) + 1 : 1
                try snapshot.forEachEvent(from: first, through: head) { event in
                    Console.out(event.jsonLine)
                    return true
                }
                return head + 1
            }
            while follow {
                try await Task.sleep(for: .milliseconds(200))
                next = try log.read { snapshot in
                    var n = next
                    try snapshot.forEachEvent(from: next) { event in
                        Console.out(event.jsonLine)
                        n = event.sequence + 1
                        return true
                    }
                    return n
                }
            }
        }
    }

    /// `runledger log show SEQ`: one event as JSON.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one event (envelope and payload) as JSON.")

        @OptionGroup var dataOptions: DataOptions

        @Argument(help: "The global sequence of the event.")
        var sequence: UInt64

        func run() async throws {
            let log = try openReadOnly(dataOptions.data)
            defer { log.close() }
            let (event, head) = try log.read { s in (try s.event(at: sequence), try s.head.sequence) }
            guard let event else {
                throw CommandFailure(
                    message: "no event \(sequence) in '\(dataOptions.data)': the log holds sequences 1...\(head)",
                    exitCode: 1)
            }
            Console.out(event.jsonLine)
        }
    }

    /// `runledger log stats`: counts and sizes.
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print counts by type, bytes on disk, bytes per event and dictionary ids.")

        @OptionGroup var dataOptions: DataOptions

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() async throws {
            let log = try openReadOnly(dataOptions.data)
            defer { log.close() }
            let stats = try log.statistics()
            let indexBytes = stats.databases.filter { $0.key != "events" }.values.reduce(0) { $0 + $1.bytes }
            if json {
                var j = JSONText()
                j.beginObject()
                j.key("events"); j.int(stats.eventCount)
                j.key("frames"); j.int(stats.frameCount)
                j.key("streams"); j.int(stats.streamCount)
                j.key("actors"); j.int(stats.actorCount)
                j.key("file_bytes"); j.int(stats.fileBytes)
                j.key("event_bytes"); j.int(stats.databases["events"]?.bytes ?? 0)
                j.key("index_bytes"); j.int(indexBytes)
                j.key("event_bytes_per_event"); j.double((stats.eventBytesPerEvent * 10).rounded() / 10)
                j.key("used_bytes_per_event"); j.double((stats.usedBytesPerEvent * 10).rounded() / 10)
                j.key("current_dictionary"); j.int(stats.currentDictionary)
                j.key("dictionaries"); j.beginArray()
                for d in stats.dictionaries {
                    j.beginObject(); j.key("id"); j.int(d.id); j.key("bytes"); j.int(d.bytes); j.endObject()
                }
                j.endArray()
                j.key("types"); j.beginObject()
                for (t, c) in stats.typeCounts.sorted(by: { $0.key < $1.key }) { j.key(t); j.int(c) }
                j.endObject()
                j.endObject()
                Console.out(j.text)
                return
            }
            Console.out("events            \(stats.eventCount) in \(stats.frameCount) frames, \(stats.streamCount) streams, \(stats.actorCount) actors")
            Console.out("file              \(stats.fileBytes) bytes (data.mdb), map \(stats.mapSize) bytes")
            Console.out("event frames      \(stats.databases["events"]?.bytes ?? 0) bytes, \(format(stats.eventBytesPerEvent)) bytes/event")
            Console.out("indexes           \(indexBytes) bytes")
            Console.out("all pages         \(format(stats.usedBytesPerEvent)) bytes/event")
            let dicts = stats.dictionaries.map { "#\($0.id) (\($0.bytes) B)" }.joined(separator: ", ")
            Console.out("dictionaries      \(dicts.isEmpty ? "none yet" : dicts); new frames use #\(stats.currentDictionary)")
            Console.out("")
            Console.out("type                                  count")
            for (t, c) in stats.typeCounts.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }) {
                Console.out(t.padding(toLength: max(36, t.count), withPad: " ", startingAt: 0) + "  " + String(c))
            }
        }

        private func format(_ v: Double) -> String { String(format: "%.1f", v) }
    }

    /// `runledger log train-dictionary`: retrain the compression dictionary.
    struct TrainDictionary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train-dictionary",
            abstract: "Train a new zstd dictionary on recent events; new frames use it, old frames keep theirs.")

        @OptionGroup var dataOptions: DataOptions

        func run() async throws {
            let log: EventLog
            do {
                log = try EventLog.open(directory: dataOptions.data)
            } catch {
                throw CommandFailure(message: "cannot open '\(dataOptions.data)': \(error)", exitCode: 2)
            }
            defer { log.close() }
            let (id, bytes) = try await log.trainDictionary()
            Console.out("dictionary #\(id) trained (\(bytes) bytes); new frames use it")
        }
    }
}
