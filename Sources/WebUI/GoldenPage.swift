import APIServer
import Certification
import CertificationJSON
import Foundation
import GoldenJSON
import GoldenService
import Hummingbird
import LedgerCore
import LedgerStorage
import Projections
import Rules

/// The golden-JSON page: a maintained projection or a pasted rule, its luminosity in and lost, the
/// per-clause "flagged false" statistic, the canonical download, the diff of two versions and the
/// explanation of one (run, LS).
struct GoldenPage {
    let ui: WebUI

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("/golden") { request, context in try await page(request, context, adHoc: nil) }
        group.post("/golden") { request, context in
            let form = try await ui.readForm(request)
            try await ui.checkForm(request, form, context: context)
            return try await page(request, context, adHoc: (form.raw("rule") ?? "", form["dataset_filter"] ?? ""))
        }
        group.get("/golden/download") { request, context in
            let r = try await ui.begin(request, context)
            let (maintained, result) = try await projectionResult(request, r)
            let anti = request.uri.queryParameters.get("format") == "anti"
            return HTML.download(
                anti ? result.rejected.canonicalBytes : result.certified.canonicalBytes, contentType: "application/json",
                filename: "\(maintained.definition.name)\(anti ? "-anti" : "")-v\(result.sequence).json", sequence: result.sequence)
        }
        group.post("/golden/download") { request, context in
            let r = try await ui.begin(request, context)
            let form = try await ui.readForm(request)
            try await ui.checkForm(request, form, context: context)
            let definition = try Self.compile(form.raw("rule") ?? "", form["dataset_filter"] ?? "")
            let result = try ui.api.storage {
                try GoldenGenerator(queries: ui.api.queries).generate(rule: definition.rule, filter: definition.filter, asOf: r.version)
            }
            return HTML.download(
                result.certified.canonicalBytes, contentType: "application/json", filename: "ad-hoc-v\(result.sequence).json",
                sequence: result.sequence)
        }
        group.get("/golden/diff") { request, context in try await diff(request, context) }
        group.get("/golden/explain") { request, context in try await explain(request, context) }
    }

    struct Clause {
        var source: String
        var falseRecorded: String
        var aloneRecorded: String
    }

    struct Summary {
        var source: String
        var definition: String
        var filter: String
        var runs: Int
        var lumisections: Int
        var datasets: Int
        var recordedIn: String
        var recordedLost: String
        var deliveredIn: String
        var deliveredLost: String
        var recordedInRaw: String
        var chainHash: String
        var clauses: [Clause]
        var json: String
        var truncated: Bool
        var download: String?
        var antiDownload: String?
        var milliseconds: String
    }

    struct Model {
        var chrome: PageChrome
        var picker: VersionPicker?
        var projections: [SelectOption]
        var projection: String
        var summary: Summary?
        var ruleText: String
        var filterText: String
        var adHoc: Bool
        var error: String?
        var csrf: String
        var asOf: String?
        var version: UInt64
        var diffFrom: String
        var plotHref: String
    }

    /// The maintained definition named by `?projection=` (default: the first), waiting until it reached the version.
    func projectionResult(_ request: Request, _ r: UIRequest) async throws -> (CertificationJSONRuntime, GoldenResult) {
        let names = ui.api.certificationJSONs.keys.sorted()
        let name = request.uri.queryParameters.get("projection").flatMap { $0.isEmpty ? nil : $0 } ?? names.first ?? ""
        return try await ui.api.maintainedResult(name, asOf: r.version)
    }

    static func compile(_ rule: String, _ filter: String) throws -> AdHocCertificationRule.Definition {
        let value: JSONValue
        do { value = try JSONValue.parse(Array(rule.utf8)) } catch {
            throw APIError.unprocessable("invalid_rule", "the rule is not valid JSON: \(error)")
        }
        return try AdHocCertificationRule.compile(name: "ad hoc", rule: value, filter: filter)
    }

    static func number(_ v: Double) -> String { String(format: "%.3f", v) }

    func summary(
        _ result: GoldenResult, rule: CompiledRule, name: String, filter: String, source: String, download: String?,
        antiDownload: String?, elapsed: Duration
    ) -> Summary {
        let text = result.certified.canonicalText
        let limit = 20_000
        return Summary(
            source: source, definition: name, filter: filter, runs: result.certified.runs.count,
            lumisections: result.certified.lumisectionCount, datasets: result.datasets.count,
            recordedIn: Self.number(result.recordedIn), recordedLost: Self.number(result.recordedLost),
            deliveredIn: Self.number(result.deliveredIn), deliveredLost: Self.number(result.deliveredLost),
            recordedInRaw: String(result.recordedIn), chainHash: result.link.hex,
            clauses: rule.clauses.enumerated().map { i, clause in
                Clause(
                    source: clause.source.serialized(),
                    falseRecorded: i < result.clauseFalseRecorded.count ? Self.number(result.clauseFalseRecorded[i]) : "–",
                    aloneRecorded: i < result.clauseAloneRecorded.count ? Self.number(result.clauseAloneRecorded[i]) : "–")
            },
            json: text.count > limit ? String(text.prefix(limit)) + "…" : text, truncated: text.count > limit, download: download,
            antiDownload: antiDownload,
            milliseconds: String(format: "%.1f", Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15))
    }

    func page(_ request: Request, _ context: APIRequestContext, adHoc: (rule: String, filter: String)?) async throws -> Response {
        let r = try await ui.begin(request, context)
        let names = ui.api.certificationJSONs.keys.sorted()
        var model = Model(
            chrome: ui.chrome("Golden JSON", r, section: "Golden JSON"), picker: nil, projections: [], projection: "",
            summary: nil, ruleText: adHoc?.rule ?? "", filterText: adHoc?.filter ?? "%", adHoc: adHoc != nil, error: nil,
            csrf: r.csrf, asOf: r.asOf, version: r.version, diffFrom: "", plotHref: "")
        if let adHoc {
            do {
                let definition = try Self.compile(adHoc.rule, adHoc.filter)
                let started = ContinuousClock.now
                let result = try ui.api.storage {
                    try GoldenGenerator(queries: ui.api.queries).generate(rule: definition.rule, filter: definition.filter, asOf: r.version)
                }
                model.summary = summary(
                    result, rule: definition.rule, name: "ad hoc rule", filter: adHoc.filter, source: "computed on demand",
                    download: nil, antiDownload: nil, elapsed: ContinuousClock.now - started)
            } catch let error as APIError where error.status == .unprocessableContent {
                model.error = error.message
            }
            model.projections = names.map { SelectOption(value: $0, label: $0, selected: false) }
            return try ui.render("golden", model, r, status: model.error == nil ? .ok : .unprocessableContent)
        }
        let started = ContinuousClock.now
        let (maintained, result) = try await projectionResult(request, r)
        let name = maintained.definition.name
        model.projection = name
        model.projections = names.map { SelectOption(value: $0, label: $0, selected: $0 == name) }
        let changes = try ui.api.storage { try maintained.changeSequences() }.filter { $0 <= r.latest }
        model.picker = VersionPicker(path: "/ui/golden", hidden: [("projection", name)], changes: changes, r: r)
        model.summary = summary(
            result, rule: maintained.definition.rule, name: name, filter: maintained.definition.filterText,
            source: "maintained projection \(maintained.projection)",
            download: HTML.url("/ui/golden/download", [("projection", name), ("as_of", String(result.sequence))]),
            antiDownload: HTML.url("/ui/golden/download", [("projection", name), ("as_of", String(result.sequence)), ("format", "anti")]),
            elapsed: ContinuousClock.now - started)
        model.ruleText = maintained.definition.rule.source.serialized()
        model.filterText = maintained.definition.filterText
        // The diff form starts at the change before the one in effect: "what did the last change do".
        let effective = changes.last { $0 <= result.sequence }
        model.diffFrom = String(effective.flatMap { e in changes.last { $0 < e } } ?? (result.sequence > 1000 ? result.sequence - 1000 : 1))
        model.plotHref = HTML.url("/ui/plots/lumi", [("projection", name), ("as_of", r.asOf)])
        return try ui.render("golden", model, r)
    }

    // MARK: Diff

    struct RunChange {
        var run: UInt32
        var change: String
        var added: Int
        var removed: Int
        var before: String
        var after: String
    }

    struct DiffModel {
        var chrome: PageChrome
        var projection: String
        var from: UInt64
        var to: UInt64
        var changes: [RunChange]
        var runsAdded: Int
        var runsRemoved: Int
        var lumisectionsAdded: Int
        var lumisectionsRemoved: Int
        var none: Bool
    }

    func diff(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let r = try await ui.begin(request, context)
        guard let fromText = request.uri.queryParameters.get("from"), !fromText.isEmpty else {
            throw APIError.badRequest("the diff needs from=VERSION (a log sequence or ISO time)")
        }
        let from = try await ui.api.resolveVersion(fromText)
        let to = r.version
        guard from <= to else { throw APIError.badRequest("from (\(from)) must not be after the shown version (\(to))") }
        let (maintained, after) = try await projectionResult(request, r)
        let before = try ui.api.storage { try maintained.result(asOf: from) }
        let d = GoldenDiff(before: before.certified, after: after.certified)
        let model = DiffModel(
            chrome: ui.chrome("Golden JSON diff", r, section: "Golden JSON"), projection: maintained.definition.name, from: from,
            to: to,
            changes: d.runs.map {
                RunChange(
                    run: $0.run, change: $0.kind, added: $0.added, removed: $0.removed, before: $0.before, after: $0.after)
            },
            runsAdded: d.runs.filter { $0.kind == "run added" }.count, runsRemoved: d.runs.filter { $0.kind == "run removed" }.count,
            lumisectionsAdded: d.runs.map(\.added).reduce(0, +), lumisectionsRemoved: d.runs.map(\.removed).reduce(0, +),
            none: d.runs.isEmpty)
        return try ui.render("golden_diff", model, r)
    }

    // MARK: Explain

    struct Input {
        var path: String
        var value: String
        var decidedBy: String
    }

    struct Explanation {
        var dataset: String
        var certified: Bool
        var clauses: [Clause]
        var inputs: [Input]
    }

    struct ExplainModel {
        var chrome: PageChrome
        var projection: String
        var run: Int
        var lumisection: Int
        var explanations: [Explanation]
        var none: Bool
    }

    func explain(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let r = try await ui.begin(request, context)
        let (maintained, _) = try await projectionResult(request, r)
        guard let run = request.uri.queryParameters.get("run").flatMap({ Int($0) }), run > 0 else {
            throw APIError.badRequest("explain needs run=NUMBER (a positive whole number)")
        }
        guard let ls = request.uri.queryParameters.get("ls").flatMap({ Int($0) }), ls > 0 else {
            throw APIError.badRequest("explain needs ls=NUMBER (a positive whole number)")
        }
        let definition = maintained.definition
        let explanations = try ui.api.storage {
            try GoldenGenerator(queries: ui.api.queries).explain(
                rule: definition.rule, filter: definition.filter, run: run, lumisection: ls, asOf: r.version)
        }
        var provenance = ProvenanceCache(audit: ui.api.audit)
        let model = ExplainModel(
            chrome: ui.chrome("Explain run \(run) LS \(ls)", r, section: "Golden JSON"), projection: definition.name, run: run,
            lumisection: ls,
            explanations: explanations.map { e in
                Explanation(
                    dataset: e.dataset.name, certified: e.certified,
                    clauses: e.clauses.map { Clause(source: $0.source, falseRecorded: $0.passed ? "passes" : "fails", aloneRecorded: "") },
                    inputs: e.inputs.map { input in
                        Input(
                            path: input.path, value: input.value.serialized(),
                            decidedBy: input.decidedBy.map { provenance.describe($0.sequence) } ?? "not set by any event")
                    })
            }, none: explanations.isEmpty)
        return try ui.render("golden_explain", model, r)
    }
}

/// The difference between two certification JSONs, run by run.
struct GoldenDiff {
    /// One run whose certified lumisections changed.
    struct RunDifference {
        var run: UInt32
        var kind: String
        var added: Int
        var removed: Int
        var before: String
        var after: String
    }

    var runs: [RunDifference] = []

    init(before: CertificationList, after: CertificationList) {
        for run in Set(before.runs.keys).union(after.runs.keys).sorted() {
            let a = before.runs[run] ?? [], b = after.runs[run] ?? []
            guard a != b else { continue }
            let setA = Set(a.flatMap { Array($0) }), setB = Set(b.flatMap { Array($0) })
            let kind = a.isEmpty ? "run added" : b.isEmpty ? "run removed" : "ranges changed"
            func text(_ ranges: [ClosedRange<UInt32>]) -> String {
                ranges.isEmpty ? "–" : ranges.map { "[\($0.lowerBound), \($0.upperBound)]" }.joined(separator: " ")
            }
            runs.append(
                RunDifference(
                    run: run, kind: kind, added: setB.subtracting(setA).count, removed: setA.subtracting(setB).count,
                    before: text(a), after: text(b)))
        }
    }
}
