import APIServer
import Access
import Certification
import CertificationService
import Foundation
import LedgerStorage
import Projections
import Hummingbird
import LedgerCore
import ProjectionViews
import Rules

/// The runs table and the run page, with the run's edits (state moves, class, significance).
struct RunPages {
    let ui: WebUI

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("/") { _, _ in HTML.redirect("/ui/runs") }
        group.get("/runs") { request, context in try await runs(request, context) }
        group.get("/runs/{run}") { request, context in try await run(request, context, form: nil) }
        group.post("/runs/{run}") { request, context in try await edit(request, context) }
    }

    // MARK: Runs table

    /// One row of the runs table.
    struct RunRow {
        var run: Int
        var href: String
        var gridHref: String
        var state: String
        var runClass: String
        var significant: String
        var lumisections: String
        var started: String
        var badges: [Badge]
    }

    /// A per-component status badge of the online certification.
    struct Badge {
        var component: String
        var short: String
        var status: String
        var label: String
        /// A glyph beside the name, so that the status shows without colour and without hovering.
        var glyph: String
    }

    /// A sortable column header.
    struct SortLink {
        var label: String
        var href: String
        var ariaSort: String
        var arrow: String
    }

    struct RunsModel {
        var chrome: PageChrome
        var from: String
        var to: String
        var text: String
        var classes: [SelectOption]
        var states: [SelectOption]
        var significance: [SelectOption]
        var limits: [SelectOption]
        var columns: [SortLink]
        var rows: [RunRow]
        var count: Int
        var shownFrom: Int
        var shownTo: Int
        var previous: String?
        var next: String?
        var asOf: String?
        var empty: Bool
    }

    static let sortKeys = ["run", "class", "state", "lumisections", "started"]

    func runs(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let r = try await ui.begin(request, context)
        func q(_ name: String) -> String? { request.query(name) }
        func int(_ name: String) throws -> Int? { try request.queryInt(name) }
        let from = try int("from"), to = try int("to")
        let runClass = q("class"), state = q("state")?.uppercased(), significant = q("significant")
        let text = q("text")?.lowercased()
        let limit = min(max(try int("limit") ?? 50, 1), 500)
        let requestedOffset = max(try int("offset") ?? 0, 0)
        let sort = q("sort").flatMap { Self.sortKeys.contains($0) ? $0 : nil } ?? "run"
        let ascending = q("dir") == "asc"
        if let state, RunState(rawValue: state) == nil {
            throw APIError.badRequest("state='\(state)' is not one of \(RunState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let significant, !["true", "false"].contains(significant) {
            throw APIError.badRequest("significant='\(significant)' must be true or false")
        }
        let all = try ui.api.storage { try ui.api.queries.runs(asOf: r.version) }
        var runs = all.filter { v in
            (from.map { v.run >= $0 } ?? true) && (to.map { v.run <= $0 } ?? true)
                && (runClass.map { v.runClass == $0 } ?? true) && (state.map { v.state.rawValue == $0 } ?? true)
                && (significant.map { v.significant == ($0 == "true") } ?? true)
                && (text.map { Self.matches(v, $0) } ?? true)
        }
        runs.sort { a, b in
            let ordered: Bool
            switch sort {
            case "class": ordered = (a.runClass, a.run) < (b.runClass, b.run)
            case "state": ordered = (a.state.rawValue, a.run) < (b.state.rawValue, b.run)
            case "lumisections": ordered = (a.lumisectionCount ?? 0, a.run) < (b.lumisectionCount ?? 0, b.run)
            case "started": ordered = (Self.started(a), a.run) < (Self.started(b), b.run)
            default: ordered = a.run < b.run
            }
            return ascending ? ordered : !ordered
        }
        let offset = min(requestedOffset, runs.count)
        let page = Array(runs.dropFirst(offset).prefix(limit))
        let rows = try page.map { v in try row(v, r) }
        let base: [(String, String?)] = [
            ("from", from.map(String.init)), ("to", to.map(String.init)), ("class", runClass), ("state", state),
            ("significant", significant), ("text", q("text")), ("limit", limit == 50 ? nil : String(limit)),
        ]
        func pageLink(_ o: Int) -> String {
            r.link("/ui/runs", base + [("sort", sort == "run" ? nil : sort), ("dir", ascending ? "asc" : nil), ("offset", o == 0 ? nil : String(o))])
        }
        let columns = [("Run", "run"), ("Class", "class"), ("State", "state"), ("LS", "lumisections"), ("Started", "started")].map {
            label, key -> SortLink in
            let current = sort == key
            let nextAscending = current ? !ascending : key != "run" && key != "started"
            return SortLink(
                label: label,
                href: r.link("/ui/runs", base + [("sort", key), ("dir", nextAscending ? "asc" : "desc")]),
                ariaSort: current ? (ascending ? "ascending" : "descending") : "none", arrow: current ? (ascending ? "▲" : "▼") : "")
        }
        let classes = Set(all.map(\.runClass)).sorted()
        let model = RunsModel(
            chrome: ui.chrome("Runs", r, section: "Runs"),
            from: from.map(String.init) ?? "", to: to.map(String.init) ?? "", text: q("text") ?? "",
            classes: [SelectOption(value: "", label: "any class", selected: runClass == nil)]
                + classes.map { SelectOption(value: $0, label: $0.isEmpty ? "(none)" : $0, selected: $0 == runClass) },
            states: [SelectOption(value: "", label: "any state", selected: state == nil)]
                + RunState.allCases.map { SelectOption(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == state) },
            significance: [
                SelectOption(value: "", label: "any", selected: significant == nil),
                SelectOption(value: "true", label: "significant", selected: significant == "true"),
                SelectOption(value: "false", label: "not significant", selected: significant == "false"),
            ],
            limits: [25, 50, 100, 200].map { SelectOption(value: String($0), label: "\($0) per page", selected: $0 == limit) },
            columns: columns, rows: rows, count: runs.count, shownFrom: page.isEmpty ? 0 : offset + 1,
            shownTo: offset + page.count, previous: offset > 0 ? pageLink(max(0, offset - limit)) : nil,
            next: runs.count - offset > limit ? pageLink(offset + limit) : nil, asOf: r.asOf, empty: rows.isEmpty)
        return try ui.render("runs", model, r)
    }

    static func started(_ v: RunView) -> String {
        if case .string(let s) = v.omsAttributes["start_time"] { return s }
        return ""
    }

    /// Whether a run matches a free-text search: its number, class, stop reason or any OMS attribute.
    static func matches(_ v: RunView, _ text: String) -> Bool {
        if String(v.run).contains(text) || v.runClass.lowercased().contains(text) || v.stopReason.lowercased().contains(text) {
            return true
        }
        return v.omsAttributes.values.contains { value in
            switch value {
            case .string(let s): return s.lowercased().contains(text)
            case .int(let i): return String(i) == text
            default: return false
            }
        }
    }

    func row(_ v: RunView, _ r: UIRequest) throws -> RunRow {
        let summary = try ui.api.storage {
            try ui.api.queries.summary(DatasetKey(run: v.run, name: DatasetKey.onlineName), asOf: r.version)
        }
        var badges: [Badge] = []
        if let summary {
            for name in summary.components.keys.sorted() {
                let counts = summary.components[name]!.counts
                let status = Self.overall(counts)
                let parts = LumisectionStatus.allCases.compactMap { s -> String? in
                    let n = counts[s]
                    return n > 0 ? "\(n) \(s.rawValue)" : nil
                }
                badges.append(
                    Badge(
                        component: name, short: Self.shortName(name), status: status,
                        label: "\(name): \(status) (\(parts.isEmpty ? "no flags" : parts.joined(separator: ", ")))",
                        glyph: Self.glyph(status)))
            }
        }
        return RunRow(
            run: v.run, href: r.link("/ui/runs/\(v.run)"),
            gridHref: r.link("/ui/runs/\(v.run)/grid", [("dataset", DatasetKey.onlineName)]), state: v.state.rawValue,
            runClass: v.runClass, significant: v.significant ? "yes" : "no",
            lumisections: v.lumisectionCount.map(String.init) ?? "–", started: Self.started(v), badges: badges)
    }

    /// The word of a component's badge: BAD if any LS is bad, else the one status of all its LS, else MIXED.
    static func overall(_ counts: StatusCounts) -> String {
        if counts[.bad] > 0 { return "BAD" }
        let present = LumisectionStatus.allCases.filter { counts[$0] > 0 }
        if present.isEmpty { return "NONE" }
        if present.count == 1 { return present[0].rawValue }
        if present.contains(.good) && present.allSatisfy({ $0 == .good || $0 == .excluded }) { return "GOOD" }
        return present.contains(.standby) ? "STANDBY" : "NOTSET"
    }

    /// The glyph of a badge's status: ✓ GOOD, ✗ BAD, ◐ STANDBY, ⊘ EXCLUDED, ? NOTSET, · no flag.
    static func glyph(_ status: String) -> String {
        ["GOOD": "✓", "BAD": "✗", "STANDBY": "◐", "EXCLUDED": "⊘", "NOTSET": "?"][status] ?? "·"
    }

    /// `tracker-pixel` → `pixel`, `ecal-ecal` → `ecal`.
    static func shortName(_ component: String) -> String {
        let parts = component.split(separator: "-")
        return parts.count == 2 && parts[0] == parts[1] ? String(parts[0]) : String(parts.last ?? Substring(component))
    }

    // MARK: Run page

    struct Attribute {
        var name: String
        var value: String
    }

    struct DatasetRow {
        var name: String
        var href: String
        var gridHref: String
        var globalState: String
        var cssState: String
        var workspaces: String
    }

    struct RunModel {
        var chrome: PageChrome
        var picker: VersionPicker
        var run: Int
        var state: String
        var runClass: String
        var significant: Bool
        var stopReason: String
        var lumisections: String
        var attributes: [Attribute]
        var datasets: [DatasetRow]
        var moves: [SelectOption]
        var canMove: Bool
        var canEditClass: Bool
        var canEditSignificance: Bool
        var classes: [String]
        var auditHref: String
        var gridHref: String
        var error: String?
        var formReason: String
        var csrf: String
    }

    func run(_ request: Request, _ context: APIRequestContext, form: (error: String, reason: String)?) async throws -> Response {
        let r = try await ui.begin(request, context)
        let number = try context.runNumber()
        guard let v = try ui.api.storage({ try ui.api.queries.run(number, asOf: r.version) }) else {
            throw APIError.notFound("run \(number) does not exist at version \(r.version)")
        }
        let datasets = try ui.api.storage {
            try v.datasets.compactMap { try ui.api.queries.dataset(DatasetKey(run: number, name: $0), asOf: r.version) }
        }
        let history = try ui.api.storage { try ui.api.audit.streamHistory(.run(number)).map(\.sequence) }
        let classes = try ui.api.storage { Set(try ui.api.queries.runs(asOf: r.version).map(\.runClass)) }.filter { !$0.isEmpty }.sorted()
        let canWrite = !r.isPast
        let model = RunModel(
            chrome: ui.chrome("Run \(number)", r, section: "Runs", flash: savedFlash(request)),
            picker: VersionPicker(path: "/ui/runs/\(number)", hidden: [], changes: history, r: r),
            run: number, state: v.state.rawValue, runClass: v.runClass, significant: v.significant, stopReason: v.stopReason,
            lumisections: v.lumisectionCount.map(String.init) ?? "not known yet",
            attributes: v.omsAttributes.keys.sorted().map { Attribute(name: $0, value: Self.text(v.omsAttributes[$0]!)) },
            datasets: datasets.map { d in
                DatasetRow(
                    name: d.name,
                    href: r.link("/ui/datasets/\(number)", [("name", d.name)]),
                    gridHref: r.link("/ui/runs/\(number)/grid", [("dataset", d.name)]), globalState: d.globalState.rawValue,
                    cssState: StatusClass.of(d.globalState.rawValue),
                    workspaces: d.workspaceStates.keys.sorted().map { "\($0): \(d.workspaceStates[$0]!.rawValue)" }.joined(separator: ", "))
            },
            moves: v.state.allowedMoves.map { SelectOption(value: $0.rawValue, label: $0.rawValue, selected: false) },
            canMove: canWrite && ui.may(r.identity, Action(for: .run(number, .moveState(to: .signOff, reason: "")))),
            canEditClass: canWrite && ui.may(r.identity, Action(for: .run(number, .setClass("")))),
            canEditSignificance: canWrite && ui.may(r.identity, Action(for: .run(number, .setSignificance(true)))),
            classes: classes, auditHref: r.link("/ui/audit", [("run", String(number))]),
            gridHref: r.link("/ui/runs/\(number)/grid", [("dataset", DatasetKey.onlineName)]),
            error: form?.error, formReason: form?.reason ?? "", csrf: r.csrf)
        return try ui.render("run", model, r, status: form == nil ? .ok : .unprocessableContent)
    }

    /// A flash message for `?saved=SEQ` after a successful edit.
    func savedFlash(_ request: Request) -> String? {
        request.uri.queryParameters.get("saved").map { "Saved: the change is in the log at sequence \($0)." }
    }

    static func text(_ v: CanonicalValue) -> String {
        switch v {
        case .null: return "–"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .bytes(let b): return "\(b.count) bytes"
        case .array(let a): return a.map(text).joined(separator: ", ")
        case .map(let m): return m.keys.sorted().map { "\($0): \(text(m[$0]!))" }.joined(separator: "; ")
        }
    }

    /// A run edit posted from the run page: `action` = move, class or significance.
    func edit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let number = try context.runNumber()
        let form = try await ui.readForm(request)
        let caller = try await ui.checkForm(request, form, context: context)
        var body = JSONObject()
        let name: String
        switch form["action"] ?? "" {
        case "move":
            name = "move-state"
            body["to"] = .string(form["to"] ?? "")
            body["reason"] = .string(form["reason"] ?? "")
        case "class":
            name = "set-class"
            body["class"] = .string(form["class"] ?? "")
        case "significance":
            name = "set-significance"
            body["significant"] = .bool(form["significant"] == "true")
        default:
            throw APIError.badRequest("the form's action must be move, class or significance")
        }
        do {
            let translated = try CommandTranslation.run(number, name, BodyReader(body))
            let outcome = try await ui.perform(translated, by: caller, reason: form["reason"])
            return HTML.redirect(HTML.url("/ui/runs/\(number)", [("saved", String(outcome.sequence))]))
        } catch let error as APIError where error.status == .unprocessableContent || error.status == .badRequest || error.status == .conflict {
            return try await run(request, context, form: (error.message, form["reason"] ?? ""))
        }
    }
}

extension WebUI {
    /// Authorises and performs one translated command for the caller (as ``checkForm(_:_:context:)`` found
    /// them); the same path as the API's writes.
    func perform(_ translated: TranslatedCommand, by caller: Identity?, reason: String?) async throws -> LedgerAPI.WriteOutcome {
        let identity = try api.access.authorize(caller, action: translated.action, flavour: .native)
        let outcome = try await api.perform(
            [translated.command], actor: identity.email, reason: reason, expectedVersion: nil, idempotencyKey: nil)
        _ = await api.runtime.waitUntil(sequence: outcome.sequence, timeout: api.settings.readYourWritesTimeout)
        return outcome
    }
}
