public import GoldenService
public import Projections
import Foundation
import Plots
import ProjectionViews

/// The integrated-luminosity plot as SVG, for the web UI and `runledger plot lumi` alike.
public enum LuminosityPlot {
    /// The plot's run selection (class, pass) matches no run at that version.
    public struct NoRunsError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// A rendered plot: the SVG, its title, how many runs it sums and the totals in /pb.
    public struct Rendered: Sendable {
        public var svg: String
        public var title: String
        public var runs: Int
        public var delivered: Double
        public var recorded: Double
        public var certified: Double
    }

    /// Renders delivered, recorded and certified (by `certified`, named `projection`) luminosity of the runs of
    /// `runClass` and/or `pass` as of `sequence`.
    public static func render(
        queries: ViewQueries, asOf sequence: UInt64, runClass: String?, pass: String?, projection: String?, certified: GoldenResult?
    ) throws -> Rendered {
        let contributions = try LuminosityContributions.collect(
            queries: queries, asOf: sequence, runClass: runClass, pass: pass, certified: certified)
        if contributions.runs.isEmpty, runClass != nil || pass != nil {
            let classes = Set(try queries.runs(asOf: sequence).map(\.runClass)).filter { !$0.isEmpty }.sorted()
            let what = [runClass.map { "of class '\($0)'" }, pass.map { "in processing pass '\($0)'" }].compactMap { $0 }
                .joined(separator: " and ")
            throw NoRunsError(
                message: "no run \(what) exists at version \(sequence); the run classes then: \(classes.joined(separator: ", "))")
        }
        // The title names what is summed; the page heading names the certifying projection and the version.
        let scope = [runClass, pass].compactMap { $0 }.joined(separator: ", ")
        let (chart, totals) = IntegratedLuminosity.chart(
            contributions.runs.map { .init(time: $0.time, delivered: $0.delivered, recorded: $0.recorded, certified: $0.certified) },
            scope: scope)
        // The certifying projection and the version ride on the root element as data attributes.
        let attributes = "<svg data-version=\"\(sequence)\" data-certified-by=\"\(projection ?? "")\" "
        let svg = chart.svg().replacingOccurrences(of: "<svg ", with: attributes, options: [], range: nil)
        return Rendered(
            svg: svg, title: chart.title, runs: contributions.runs.count, delivered: totals.delivered,
            recorded: totals.recorded, certified: totals.certified)
    }
}
