import ArgumentParser
import Certification
import CertificationJSON
import Foundation
import GoldenJSON
import GoldenService
import LedgerCore
import LedgerStorage
import Projections
import Rules

/// `runledger golden`: certification JSONs and why a lumisection is in or out.
struct GoldenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "golden",
        abstract: "Certification JSONs as of any version, and why a lumisection is in or out.",
        subcommands: [GoldenGenerate.self, GoldenExplain.self],
        defaultSubcommand: GoldenGenerate.self
    )
}

/// The rule and dataset filter of a golden command: a rule file with a filter, or a definition.
struct GoldenDefinitionOptions: ParsableArguments {
    @Option(help: "A JsonLogic rule file.")
    var rule: String?

    @Option(help: "A definition in projections/ (e.g. golden-collisions), instead of --rule and --dataset-filter.")
    var projection: String?

    @Option(help: "Which datasets count (SQL SIMILAR TO), e.g. '/PromptReco/Collisions2024%'.")
    var datasetFilter: String?

    @Option(help: "The folder of projection definitions.")
    var projectionsDirectory: String = "projections"

    @Option(help: "A log sequence or an ISO 8601 time (default: the latest).")
    var asOf: String?

    /// The compiled rule and filter, and the definition when --projection names one.
    func load() throws -> (CompiledRule, DatasetNameFilter, String, CertificationJSONDefinition?) {
        if let projection {
            guard rule == nil else { throw ValidationError("give --projection or --rule, not both") }
            let loaded: CertificationJSONDefinition
            do {
                loaded = try DefinitionDirectory.load(projection, from: projectionsDirectory)
            } catch {
                throw CommandFailure(message: "\(error)", exitCode: 2)
            }
            guard let datasetFilter else { return (loaded.rule, loaded.filter, loaded.filterText, loaded) }
            do {
                return (loaded.rule, try DatasetNameFilter(datasetFilter), datasetFilter, nil)
            } catch {
                throw CommandFailure(message: "\(error)", exitCode: 2)
            }
        }
        guard let rule else { throw ValidationError("give --rule FILE (with --dataset-filter) or --projection NAME") }
        guard let datasetFilter else { throw ValidationError("--rule needs --dataset-filter, e.g. '/PromptReco/Collisions2024%'") }
        guard let data = FileManager.default.contents(atPath: rule) else {
            throw CommandFailure(message: "cannot read '\(rule)'", exitCode: 2)
        }
        let ruleValue: JSONValue
        do {
            ruleValue = try JSONValue.parse(Array(data))
        } catch {
            throw CommandFailure(message: "\(rule): \(error)", exitCode: 2)
        }
        let compiled: CompiledRule
        do {
            compiled = try CompiledRule(ruleValue, options: .runRegistry)
        } catch {
            throw CommandFailure(message: "the rule is not valid: \(error)", exitCode: 2)
        }
        do {
            return (compiled, try DatasetNameFilter(datasetFilter), datasetFilter, nil)
        } catch {
            throw CommandFailure(message: "\(error)", exitCode: 2)
        }
    }

    /// The certification views and `definition`'s maintained rows brought up to date, and the
    /// sequence --as-of names.
    func resolveMaintained(_ data: String, _ definition: CertificationJSONDefinition) throws -> (
        EventLog, CertificationJSONRuntime, UInt64
    ) {
        let (log, runtime) = try openProjectionRuntime(data: data)
        do {
            let golden = try CertificationJSONRuntime(definition: definition, base: runtime)
            try runtime.catchUp()
            try golden.catchUp()
            try golden.storeCheckpoint()
            return (log, golden, try viewSequence(asOf.map { try resolveAsOfSequence($0, in: log) } ?? golden.checkpoint, runtime))
        } catch let failure as ProjectionRuntime.Failure {
            log.close()
            throw CommandFailure(message: "the views cannot be brought up to date: \(failure)", exitCode: 1)
        } catch {
            log.close()
            throw error
        }
    }

    /// The views brought up to date, and the sequence --as-of names.
    func resolve(_ data: String) throws -> (EventLog, ViewQueries, UInt64) {
        let (log, runtime) = try openProjectionRuntime(data: data)
        do {
            try runtime.catchUp()
        } catch let failure as ProjectionRuntime.Failure {
            log.close()
            throw CommandFailure(message: "the views cannot be brought up to date: \(failure)", exitCode: 1)
        }
        do {
            return (log, ViewQueries(runtime: runtime), try viewSequence(asOf.map { try resolveAsOfSequence($0, in: log) } ?? runtime.checkpoint, runtime))
        } catch {
            log.close()
            throw error
        }
    }
}

/// `runledger golden [generate]`: the certification JSON of a rule, as of any version.
struct GoldenGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Print the certification JSON of a rule (or a projections/ definition) as of any version.",
        discussion: """
            The canonical JSON goes to standard output: {"<run>":[[first,last],...]}, runs ascending,
            ranges merged, no whitespace. The metadata (the log sequence and chain hash the result was
            computed at, luminosity in and lost, per-clause flagged-false luminosity) goes to standard
            error, or to --metadata FILE. The same inputs always give the same bytes.
            """
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var definition: GoldenDefinitionOptions

    @Option(help: "Write the metadata JSON here instead of standard error.")
    var metadata: String?

    @ArgumentParser.Flag(help: "Print the anti-JSON (lumisections the rule rejected) instead.")
    var anti = false

    @ArgumentParser.Flag(help: "Print the JSON keyed by \"<run>-<dataset>\" instead of by run.")
    var byDataset = false

    @ArgumentParser.Flag(help: "With --projection, compute from the certification views instead of reading the maintained rows.")
    var onDemand = false

    func run() async throws {
        guard !(anti && byDataset) else { throw ValidationError("--anti and --by-dataset are separate outputs; give one") }
        let (compiled, filter, filterText, maintained) = try definition.load()
        let result: GoldenResult
        let source: String
        let started: Date
        if let maintained, !onDemand {
            // The definition's maintained rows: one seek per (run, dataset) as of the version.
            let (log, golden, sequence) = try definition.resolveMaintained(dataOptions.data, maintained)
            defer { log.close() }
            started = Date()
            guard golden.servedIdentity == golden.projection else {
                throw CommandFailure(
                    message: "\(golden.projection) is still being built beside \(golden.servedIdentity); try again", exitCode: 1)
            }
            result = try golden.result(asOf: sequence)
            source = golden.projection
        } else {
            let (log, queries, sequence) = try definition.resolve(dataOptions.data)
            defer { log.close() }
            started = Date()
            result = try GoldenGenerator(queries: queries).generate(rule: compiled, filter: filter, asOf: sequence)
            source = "on demand"
        }
        let milliseconds = Date().timeIntervalSince(started) * 1_000
        if byDataset {
            // Same layout rules as the canonical bytes: keys ascending by run then name, merged ranges.
            var j = JSONText()
            j.beginObject()
            let keys = result.certifiedByDataset.keys.sorted { a, b in
                let ra = Int(a.prefix { $0 != "-" }) ?? 0
                let rb = Int(b.prefix { $0 != "-" }) ?? 0
                return ra != rb ? ra < rb : a.utf8.lexicographicallyPrecedes(b.utf8)
            }
            for key in keys {
                j.key(key)
                j.beginArray()
                for r in result.certifiedByDataset[key]! {
                    j.beginArray(); j.int(r.lowerBound); j.int(r.upperBound); j.endArray()
                }
                j.endArray()
            }
            j.endObject()
            FileHandle.standardOutput.write(Data(j.bytes))
        } else {
            FileHandle.standardOutput.write(Data((anti ? result.rejected : result.certified).canonicalBytes))
        }
        var j = JSONText()
        j.beginObject()
        j.key("sequence"); j.int(result.sequence)
        j.key("chain_hash"); j.string(result.link.hex)
        j.key("dataset_filter"); j.string(filterText)
        j.key("datasets"); j.int(result.datasets.count)
        j.key("runs"); j.int(result.certified.runs.count)
        j.key("lumisections"); j.int(result.certified.lumisectionCount)
        j.key("recorded_in"); j.double(result.recordedIn)
        j.key("recorded_lost"); j.double(result.recordedLost)
        j.key("delivered_in"); j.double(result.deliveredIn)
        j.key("delivered_lost"); j.double(result.deliveredLost)
        j.key("rules_flagged_false_recorded"); j.beginArray()
        for (i, clause) in compiled.clauses.enumerated() {
            j.beginObject()
            j.key("clause"); j.raw(clause.source.serialized())
            j.key("false"); j.double(result.clauseFalseRecorded[i])
            j.key("alone"); j.double(result.clauseAloneRecorded[i])
            j.endObject()
        }
        j.endArray()
        j.key("source"); j.string(source)
        j.key("evaluations"); j.int(result.evaluations)
        j.key("milliseconds"); j.double((milliseconds * 10).rounded() / 10)
        j.endObject()
        if let metadata {
            guard FileManager.default.createFile(atPath: metadata, contents: Data((j.text + "\n").utf8)) else {
                throw CommandFailure(message: "cannot write '\(metadata)'", exitCode: 2)
            }
        } else {
            FileHandle.standardError.write(Data(("\n" + j.text + "\n").utf8))
        }
    }
}

/// `runledger golden explain`: why a lumisection is in or out.
struct GoldenExplain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show which clauses passed or failed for one lumisection, and which events set the values the rule read."
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var definition: GoldenDefinitionOptions

    @Option(help: "The run.")
    var run: Int

    @Option(help: "The lumisection.")
    var ls: Int

    @ArgumentParser.Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        guard ls >= 1 else { throw ValidationError("--ls must be 1 or more, got \(ls)") }
        let (compiled, filter, filterText, _) = try definition.load()
        let (log, queries, sequence) = try definition.resolve(dataOptions.data)
        defer { log.close() }
        let explanations: [GoldenExplanation]
        do {
            explanations = try GoldenGenerator(queries: queries).explain(
                rule: compiled, filter: filter, run: run, lumisection: ls, asOf: sequence)
        } catch let error as LedgerError {
            throw CommandFailure(message: error.message, exitCode: 1)
        }
        guard !explanations.isEmpty else {
            throw CommandFailure(message: "run \(run) has no dataset matching '\(filterText)' as of sequence \(sequence)", exitCode: 1)
        }
        if json {
            var j = JSONText()
            j.beginArray()
            for e in explanations {
                j.beginObject()
                j.key("run"); j.int(e.dataset.run)
                j.key("dataset"); j.string(e.dataset.name)
                j.key("ls"); j.int(e.lumisection)
                j.key("sequence"); j.int(e.sequence)
                j.key("certified"); j.bool(e.certified)
                j.key("clauses"); j.beginArray()
                for c in e.clauses { j.beginObject(); j.key("clause"); j.raw(c.source); j.key("passed"); j.bool(c.passed); j.endObject() }
                j.endArray()
                j.key("inputs"); j.beginArray()
                for input in e.inputs {
                    j.beginObject()
                    j.key("path"); j.string(input.path)
                    j.key("value"); j.raw(input.value.serialized())
                    if let d = input.decidedBy {
                        j.key("seq"); j.int(d.sequence)
                        j.key("actor"); j.string(d.actor)
                        j.key("recorded_at"); j.string(d.recordedAt.iso8601)
                        j.key("reason"); j.string(d.reason)
                    }
                    j.endObject()
                }
                j.endArray()
                j.endObject()
            }
            j.endArray()
            Console.out(j.text)
            return
        }
        for e in explanations {
            Console.out("run \(e.dataset.run) \(e.dataset.name) LS \(e.lumisection) (as of sequence \(e.sequence)): \(e.certified ? "IN" : "OUT")")
            for c in e.clauses where !c.passed { Console.out("  failed: \(c.source)") }
            Console.out("  \(e.clauses.filter(\.passed).count) of \(e.clauses.count) clauses passed")
            Console.out("  values read:")
            for input in e.inputs {
                var line = "    \(input.path) = \(input.value.serialized())"
                if let d = input.decidedBy {
                    line += "  (seq \(d.sequence), \(d.actor), \(d.recordedAt.iso8601): \(d.reason))"
                }
                Console.out(line)
            }
        }
    }
}

/// `sequence`, checked against the views' retention floor (as-of reads before it are refused).
func viewSequence(_ sequence: UInt64, _ runtime: ProjectionRuntime) throws -> UInt64 {
    do { try ViewRetention.check(sequence, floor: try ViewRetention.floor(runtime.store)) } catch let e as LedgerError {
        throw CommandFailure(message: e.message, exitCode: 2)
    }
    return sequence
}
