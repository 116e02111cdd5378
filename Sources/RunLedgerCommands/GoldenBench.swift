import ArgumentParser
import CertificationJSON
import CertificationService
import Foundation
import GoldenJSON
import GoldenService
import LedgerCore
import LedgerStorage
import Projections
import Rules

/// `runledger bench golden`: golden-JSON generation from the views.
struct GoldenBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "golden",
        abstract: "Measure golden-JSON generation: one era, the year, the year as of mid-history, and a naive baseline.",
        discussion: """
            Uses the projections/golden-collisions definition (47 clauses, the shape of the Run Registry's
            sample rule) over the `year` workload (generated unless --workload names a data directory;
            it is copied first). Each figure is the median of --repeat runs. naive_era_ms evaluates the
            same rule once per lumisection over the same views, in the same run. The projection_*
            figures read the maintained rows of the golden-collisions definition (built once,
            projection_build_s) for the same questions; the benchmark fails if they differ from the
            on-demand results.
            """
    )

    @Option(help: "An existing data directory holding a generated workload.")
    var workload: String?

    @Option(help: "The definition folder.")
    var projectionsDirectory: String = "projections"

    @Option(help: "The era's dataset filter.")
    var era: String = "/PromptReco/Collisions2024C/DQM"

    @Option(help: "The year's dataset filter.")
    var year: String = "/PromptReco/Collisions%"

    @Option(help: "Runs per figure (the median is reported).")
    var `repeat`: Int = 3

    @ArgumentParser.Flag(help: "Print one JSON object per metric per line.")
    var json = false

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: projectionsDirectory + "/golden-collisions.json"),
            let definition = try? JSONValue.parse(Array(data)), let ruleValue = definition["rule"]
        else {
            throw CommandFailure(message: "cannot read \(projectionsDirectory)/golden-collisions.json", exitCode: 2)
        }
        let rule = try CompiledRule(ruleValue, options: .runRegistry)
        let base = NSTemporaryDirectory() + "runledger-bench-golden-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let path = base + "/data"
        try prepareBenchWorkload(at: path, copying: workload, profile: "year")
        let log = try EventLog.open(directory: path)
        defer { log.close() }
        let runtime = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: path + "/views"))
        Console.progress("bench: building the views")
        try runtime.catchUp()
        Console.endProgress()
        let generator = GoldenGenerator(queries: ViewQueries(runtime: runtime))
        let head = runtime.checkpoint
        func report(_ name: String, _ value: Double, _ unit: String) {
            BenchMetric(suite: "golden", metric: name, value: value, unit: unit).print(json: json)
        }
        func time(_ filter: String, asOf: UInt64, naive: Bool = false) throws -> (Double, GoldenResult) {
            let f = try DatasetNameFilter(filter)
            var times: [Double] = []
            var last: GoldenResult? = nil
            for _ in 0..<max(1, self.repeat) {
                let started = DispatchTime.now().uptimeNanoseconds
                last = try generator.generate(rule: rule, filter: f, asOf: asOf, perLumisection: naive)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
            }
            return (times.sorted()[times.count / 2], last!)
        }
        let (eraMS, eraResult) = try time(era, asOf: head)
        report("era_ms", eraMS, "ms")
        let (yearMS, yearResult) = try time(year, asOf: head)
        report("year_ms", yearMS, "ms")
        let (midMS, _) = try time(year, asOf: head / 2)
        report("asof_mid_ms", midMS, "ms")
        let (naiveMS, naiveResult) = try time(era, asOf: head, naive: true)
        report("naive_era_ms", naiveMS, "ms")
        guard naiveResult.certified == eraResult.certified else {
            throw CommandFailure(message: "the naive and segment evaluations disagree", exitCode: 1)
        }

        // The maintained projection of the same definition: built once, then read as of a version.
        let maintained: CertificationJSONDefinition
        do {
            maintained = try DefinitionDirectory.load("golden-collisions", from: projectionsDirectory)
        } catch {
            throw CommandFailure(message: "\(error)", exitCode: 2)
        }
        let golden = try CertificationJSONRuntime(definition: maintained, base: runtime)
        Console.progress("bench: building \(golden.projection)")
        let buildStarted = DispatchTime.now().uptimeNanoseconds
        try golden.rebuild()
        let buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - buildStarted) / 1e9
        Console.endProgress()
        func timeMaintained(_ filter: String, asOf: UInt64) throws -> (Double, GoldenResult) {
            // Rows cover the definition's filter; a narrower one (an era) is applied to the row keys.
            let within = filter == maintained.filterText ? nil : try DatasetNameFilter(filter)
            var times: [Double] = []
            var last: GoldenResult? = nil
            for _ in 0..<max(1, self.repeat) {
                let started = DispatchTime.now().uptimeNanoseconds
                last = try golden.result(asOf: asOf, within: within)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
            }
            return (times.sorted()[times.count / 2], last!)
        }
        let (pEraMS, pEra) = try timeMaintained(era, asOf: head)
        report("projection_era_ms", pEraMS, "ms")
        let (pYearMS, pYear) = try timeMaintained(year, asOf: head)
        report("projection_year_ms", pYearMS, "ms")
        let (pMidMS, pMid) = try timeMaintained(year, asOf: head / 2)
        report("projection_asof_mid_ms", pMidMS, "ms")
        report("projection_build_s", buildSeconds, "s (\(golden.work.evaluations) evaluations, \(golden.work.rowsWritten) row versions)")
        let (_, midResult) = try time(year, asOf: head / 2)
        for (name, maintained, onDemand) in [("era", pEra, eraResult), ("year", pYear, yearResult), ("mid", pMid, midResult)] {
            guard Self.sameOutput(maintained, onDemand) else {
                throw CommandFailure(message: "the maintained and on-demand \(name) results differ", exitCode: 1)
            }
        }
        report("era_lumisections", Double(eraResult.certified.lumisectionCount), "lumisections")
        report("year_lumisections", Double(yearResult.certified.lumisectionCount), "lumisections")
        report("year_evaluations", Double(yearResult.evaluations), "evaluations")
    }

    /// Whether two results hold the same JSONs, luminosity and clause statistics, bit for bit.
    static func sameOutput(_ a: GoldenResult, _ b: GoldenResult) -> Bool {
        a.certified.canonicalBytes == b.certified.canonicalBytes && a.rejected.canonicalBytes == b.rejected.canonicalBytes
            && a.certifiedByDataset == b.certifiedByDataset && a.datasets == b.datasets
            && [a.recordedIn, a.recordedLost, a.deliveredIn, a.deliveredLost].map(\.bitPattern)
                == [b.recordedIn, b.recordedLost, b.deliveredIn, b.deliveredLost].map(\.bitPattern)
            && a.clauseFalseRecorded.map(\.bitPattern) == b.clauseFalseRecorded.map(\.bitPattern)
            && a.clauseAloneRecorded.map(\.bitPattern) == b.clauseAloneRecorded.map(\.bitPattern)
    }
}
