import APIServer
import Certification
import Foundation
import GoldenService
import Hummingbird
import LedgerCore
import LedgerStorage
import Plots
import Projections
import ProjectionViews

/// The plots: integrated luminosity over time (delivered, recorded, certified) and certification progress per workspace.
struct PlotPages {
    let ui: WebUI

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("/plots") { request, context in
            let r = try await ui.begin(request, context)
            let passes = try ui.api.storage { Set(try ui.api.queries.datasets(asOf: r.version).map(\.passKey)) }.sorted()
            let classes = try ui.api.storage { Set(try ui.api.queries.runs(asOf: r.version).map(\.runClass)) }.sorted()
            let model = IndexModel(
                chrome: ui.chrome("Plots", r, section: "Plots"), projections: ui.api.certificationJSONs.keys.sorted(), classes: classes,
                passes: passes, asOf: r.asOf)
            return try ui.render("plots", model, r)
        }
        group.get("/plots/lumi") { request, context in
            let r = try await ui.begin(request, context)
            let plot = try await luminosity(request, r)
            let model = PlotModel(
                chrome: ui.chrome("Integrated luminosity", r, section: "Plots"), svg: plot.svg,
                title: plot.title + (plot.parameters.first { $0.0 == "projection" }?.1.map { " · certified by \($0)" } ?? ""),
                svgHref: HTML.url("/ui/plots/lumi.svg", plot.parameters + [("as_of", String(r.version))]), rows: plot.rows,
                picker: VersionPicker(path: "/ui/plots/lumi", hidden: plot.parameters.compactMap { k, v in v.map { (k, $0) } }, changes: [], r: r))
            return try ui.render("plot", model, r)
        }
        group.get("/plots/lumi.svg") { request, context in
            let r = try await ui.begin(request, context)
            return svgAnswer(try await luminosity(request, r).svg)
        }
        group.get("/plots/progress") { request, context in
            let r = try await ui.begin(request, context)
            let plot = try progress(request, r)
            let model = PlotModel(
                chrome: ui.chrome("Certification progress", r, section: "Plots"), svg: plot.svg, title: plot.title,
                svgHref: HTML.url("/ui/plots/progress.svg", plot.parameters + [("as_of", String(r.version))]), rows: plot.rows,
                picker: VersionPicker(path: "/ui/plots/progress", hidden: plot.parameters.compactMap { k, v in v.map { (k, $0) } }, changes: [], r: r))
            return try ui.render("plot", model, r)
        }
        group.get("/plots/progress.svg") { request, context in
            let r = try await ui.begin(request, context)
            return svgAnswer(try progress(request, r).svg)
        }
    }

    struct IndexModel {
        var chrome: PageChrome
        var projections: [String]
        var classes: [String]
        var passes: [String]
        var asOf: String?
    }

    struct Row {
        var label: String
        var value: String
    }

    struct PlotModel {
        var chrome: PageChrome
        var svg: String
        var title: String
        var svgHref: String
        var rows: [Row]
        var picker: VersionPicker
    }

    /// A rendered plot with its totals and the query parameters that made it.
    struct Plot {
        var svg: String
        var title: String
        var rows: [Row]
        var parameters: [(String, String?)]
    }

    func svgAnswer(_ svg: String) -> Response {
        HTML.asset(Array(svg.utf8), contentType: "image/svg+xml; charset=utf-8")
    }

    static func parameter(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The integrated-luminosity plot of `?class=`, `?pass=` and `?projection=` at the request's version.
    func luminosity(_ request: Request, _ r: UIRequest) async throws -> Plot {
        let runClass = Self.parameter(request, "class"), pass = Self.parameter(request, "pass")
        let names = ui.api.certificationJSONs.keys.sorted()
        let name = Self.parameter(request, "projection") ?? (names.contains("golden-collisions") ? "golden-collisions" : names.first)
        // The certified luminosity comes from the projection at the same version (one lookup, as for the golden page).
        let certified = try await name.asyncMap { try await ui.api.maintainedResult($0, asOf: r.version).1 }
        let plot: LuminosityPlot.Rendered
        do {
            plot = try LuminosityPlot.render(
                queries: ui.api.queries, asOf: r.version, runClass: runClass, pass: pass, projection: name, certified: certified)
        } catch let error as LuminosityPlot.NoRunsError {
            throw APIError.notFound(error.message)
        } catch {
            throw APIError(.internalServerError, "storage", "\(error)")
        }
        let svg = plot.svg.replacingOccurrences(of: "<svg ", with: "<svg id=\"lumi-plot\" ", options: [], range: nil)
        return Plot(
            svg: svg, title: plot.title,
            rows: [
                Row(label: "Runs", value: String(plot.runs)),
                Row(label: "Delivered (/pb)", value: String(format: "%.3f", plot.delivered)),
                Row(label: "Recorded (/pb)", value: String(format: "%.3f", plot.recorded)),
                Row(label: "Certified (/pb)", value: String(format: "%.3f", plot.certified)),
            ],
            parameters: [("class", runClass), ("pass", pass), ("projection", name)])
    }

    /// The certification-progress plot of `?pass=` and `?workspace=`: the pass view sampled at 60 versions.
    func progress(_ request: Request, _ r: UIRequest) throws -> Plot {
        guard let pass = Self.parameter(request, "pass") else { throw APIError.badRequest("the progress plot needs pass=NAME") }
        let workspace = Self.parameter(request, "workspace") ?? "global"
        guard try ui.api.storage({ try ui.api.queries.pass(pass, workspace: workspace, asOf: r.version) }) != nil else {
            throw APIError.notFound("processing pass '\(pass)' has no view for workspace '\(workspace)' at version \(r.version)")
        }
        let samples = try ui.api.storage { try Self.samples(ui.api, pass: pass, workspace: workspace, upTo: r.version, count: 60) }
        let chart = CertificationProgress.chart(samples, workspace: workspace, pass: pass)
        let svg = chart.svg().replacingOccurrences(of: "<svg ", with: "<svg id=\"progress-plot\" ", options: [], range: nil)
        let last = samples.last
        return Plot(
            svg: svg, title: chart.title,
            rows: [
                Row(label: "OPEN", value: String(last?.open ?? 0)), Row(label: "SIGNOFF", value: String(last?.signOff ?? 0)),
                Row(label: "COMPLETED", value: String(last?.completed ?? 0)),
            ],
            parameters: [("pass", pass), ("workspace", workspace)])
    }

    /// The pass's dataset counts at `count` versions spread from the pass's first view to its last change
    /// (at or before `version`), each at the time its event was recorded.
    static func samples(_ api: LedgerAPI, pass: String, workspace: String, upTo version: UInt64, count: Int) throws -> [CertificationProgress.Sample] {
        var out: [CertificationProgress.Sample] = []
        guard let latest = try api.queries.pass(pass, workspace: workspace, asOf: version) else { return [] }
        let last = latest.lastSequence
        // The first version with a view: a binary search, since a pass's view never disappears.
        var low: UInt64 = 1, high = last
        while low < high {
            let middle = low + (high - low) / 2
            if try api.queries.pass(pass, workspace: workspace, asOf: middle) != nil { high = middle } else { low = middle + 1 }
        }
        let step = max(1, (last - low) / UInt64(max(count - 1, 1)))
        var versions = Array(stride(from: low, to: last, by: Int(step)))
        versions.append(last)
        for v in versions {
            guard let view = try api.queries.pass(pass, workspace: workspace, asOf: v) else { continue }
            guard let event = try api.log.read({ try $0.event(at: v) }) else { continue }
            let time = Double(event.recordedAt.microseconds) / 1e6
            let counts = view.datasetCounts
            out.append(
                .init(time: time, open: counts[.open] ?? 0, signOff: counts[.signOff] ?? 0, completed: counts[.completed] ?? 0))
        }
        return out
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
