import ArgumentParser
import Foundation
import GoldenService
import LedgerStorage
import Projections
import WebUI

/// `runledger plot`: server-side SVG plots written to a file.
struct PlotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Write plots as SVG files.",
        subcommands: [PlotLuminosity.self]
    )
}

/// `runledger plot lumi`: integrated luminosity over time (delivered, recorded, certified) as of any version.
struct PlotLuminosity: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lumi",
        abstract: "Integrated luminosity over time: delivered, recorded and certified by a golden projection.",
        discussion: """
            Sums each run's luminosity at its start time (OMS start_time). Certified luminosity is the recorded
            luminosity of the lumisections the projection certifies. The same plot is at /ui/plots/lumi.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "The certification-JSON projection whose lumisections count as certified (default golden-collisions).")
    var projection: String = "golden-collisions"

    @Option(name: .customLong("class"), help: "Only runs of this class, e.g. Collisions24.")
    var runClass: String?

    @Option(help: "Only runs with a dataset in this processing pass, e.g. prompt/Collisions2024C.")
    var pass: String?

    @Option(help: "A log sequence or an ISO 8601 time (default: the latest).")
    var asOf: String?

    @Option(help: "The folder of projection definitions.")
    var projectionsDirectory: String = "projections"

    @Option(help: "The SVG file to write.")
    var out: String

    func run() async throws {
        let options = try GoldenDefinitionOptions.parse(
            ["--projection", projection, "--projections-directory", projectionsDirectory] + (asOf.map { ["--as-of", $0] } ?? []))
        let (_, _, _, definition) = try options.load()
        let (log, golden, sequence) = try options.resolveMaintained(dataOptions.data, definition!)
        defer { log.close() }
        let result = try golden.result(asOf: sequence)
        let plot: LuminosityPlot.Rendered
        do {
            plot = try LuminosityPlot.render(
                queries: ViewQueries(runtime: golden.base), asOf: sequence, runClass: runClass, pass: pass, projection: projection,
                certified: result)
        } catch let error as LuminosityPlot.NoRunsError {
            throw CommandFailure(message: error.message, exitCode: 2)
        }
        guard FileManager.default.createFile(atPath: out, contents: Data(plot.svg.utf8)) else {
            throw CommandFailure(message: "cannot write '\(out)'", exitCode: 2)
        }
        Console.out(
            "runledger plot lumi: \(out) at version \(sequence): \(plot.runs) runs, delivered \(String(format: "%.3f", plot.delivered)) /pb, recorded \(String(format: "%.3f", plot.recorded)) /pb, certified \(String(format: "%.3f", plot.certified)) /pb")
    }
}
