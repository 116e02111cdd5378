import APIServer
import Access
import Certification
import CertificationService
import Foundation
import Hummingbird
import LedgerCore
import LedgerStorage
import Projections
import ProjectionViews
import Rules

/// The dataset page (per-workspace states and moves, cycles, comments) and the processing-pass dashboard.
struct DatasetPages {
    let ui: WebUI

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("/datasets/{run}") { request, context in try await dataset(request, context, error: nil) }
        group.post("/datasets/{run}") { request, context in try await edit(request, context) }
        group.get("/passes") { request, context in try await passes(request, context) }
    }

    struct Workspace {
        var name: String
        var state: String
        var cssState: String
    }

    struct Comment {
        var time: String
        var actor: String
        var text: String
    }

    struct ComponentCounts {
        var name: String
        var counts: String
    }

    struct DatasetModel {
        var chrome: PageChrome
        var picker: VersionPicker
        var run: Int
        var name: String
        var runHref: String
        var gridHref: String
        var auditHref: String
        var passKey: String
        var passHref: String
        var globalState: String
        var cssGlobalState: String
        var workspaces: [Workspace]
        var appearedIn: String
        var guiNames: String
        var cycles: String
        var comments: [Comment]
        var components: [ComponentCounts]
        var movable: [SelectOption]
        var targets: [SelectOption]
        var canMove: Bool
        var canComment: Bool
        var error: String?
        var csrf: String
    }

    static func css(_ state: DatasetWorkspaceState) -> String { StatusClass.of(state.rawValue) }

    func dataset(_ request: Request, _ context: APIRequestContext, error: String?, name override: String? = nil) async throws -> Response {
        let r = try await ui.begin(request, context)
        let run = try context.runNumber()
        guard let name = override ?? request.uri.queryParameters.get("name").flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw APIError.badRequest("the dataset page needs name=DATASET, e.g. ?name=online")
        }
        let key = DatasetKey(run: run, name: name)
        guard let view = try ui.api.storage({ try ui.api.queries.dataset(key, asOf: r.version) }) else {
            throw APIError.notFound("\(key) does not exist at version \(r.version)")
        }
        let summary = try ui.api.storage { try ui.api.queries.summary(key, asOf: r.version) }
        let history = try ui.api.storage { try ui.api.audit.streamHistory(.dataset(run: run, name: name), asOf: r.version) }
        let comments = history.compactMap { entry -> Comment? in
            guard case .commentAdded(_, let text)? = entry.event else { return nil }
            return Comment(time: entry.recordedAt.iso8601, actor: entry.actor, text: text)
        }
        let workspaces = view.workspaceStates.keys.sorted()
        let movable = r.isPast ? [] : workspaces.filter { ws in
            ui.may(r.identity, Action(for: .dataset(key, .moveWorkspaceState(workspace: ws, to: .signOff, reason: ""))))
        }
        let allChanges = try ui.api.storage { try ui.api.audit.streamHistory(.dataset(run: run, name: name)).map(\.sequence) }
        let model = DatasetModel(
            chrome: ui.chrome("\(name) · run \(run)", r, section: "Runs", flash: request.uri.queryParameters.get("saved").map {
                "Saved at sequence \($0)."
            }),
            picker: VersionPicker(path: "/ui/datasets/\(run)", hidden: [("name", name)], changes: allChanges, r: r),
            run: run, name: name, runHref: r.link("/ui/runs/\(run)"), gridHref: r.link("/ui/runs/\(run)/grid", [("dataset", name)]),
            auditHref: r.link("/ui/audit", [("run", String(run)), ("dataset", name)]), passKey: view.passKey,
            passHref: r.link("/ui/passes", [("pass", view.passKey)]), globalState: view.globalState.rawValue,
            cssGlobalState: Self.css(view.globalState),
            workspaces: workspaces.map { Workspace(name: $0, state: view.workspaceStates[$0]!.rawValue, cssState: Self.css(view.workspaceStates[$0]!)) },
            appearedIn: view.appearedIn.joined(separator: ", "), guiNames: view.guiDatasetNames.joined(separator: ", "),
            cycles: view.cycles.isEmpty ? "none" : view.cycles.joined(separator: ", "), comments: comments,
            components: (summary?.components.keys.sorted() ?? []).map { c in
                let counts = summary!.components[c]!.counts
                return ComponentCounts(
                    name: c,
                    counts: LumisectionStatus.allCases.compactMap { s in counts[s] > 0 ? "\(counts[s]) \(s.rawValue)" : nil }.joined(separator: ", "))
            },
            movable: movable.map { SelectOption(value: $0, label: $0, selected: false) },
            targets: DatasetWorkspaceState.allCases.map { SelectOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == .signOff) },
            canMove: !movable.isEmpty,
            canComment: !r.isPast && ui.may(r.identity, Action(for: .dataset(key, .addComment("", range: nil, component: nil)))),
            error: error, csrf: r.csrf)
        return try ui.render("dataset", model, r, status: error == nil ? .ok : .unprocessableContent)
    }

    func edit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let run = try context.runNumber()
        let form = try await ui.readForm(request)
        let caller = try await ui.checkForm(request, form, context: context)
        guard let name = form["dataset"] else { throw APIError.badRequest("the form lacks the dataset name") }
        var body: JSONObject = ["dataset": .string(name)]
        let command: String
        switch form["action"] ?? "" {
        case "move":
            command = "move-state"
            body["workspace"] = .string(form["workspace"] ?? "")
            body["to"] = .string(form["to"] ?? "")
            body["reason"] = .string(form["reason"] ?? "")
        case "comment":
            command = "add-comment"
            body["comment"] = .string(form.raw("comment") ?? "")
        default:
            throw APIError.badRequest("the form's action must be move or comment")
        }
        do {
            let translated = try CommandTranslation.dataset(run, command, BodyReader(body))
            let outcome = try await ui.perform(translated, by: caller, reason: form["reason"])
            return HTML.redirect(HTML.url("/ui/datasets/\(run)", [("name", name), ("saved", String(outcome.sequence))]))
        } catch let error as APIError where [400, 409, 422].contains(error.status.code) {
            return try await dataset(request, context, error: error.message, name: name)
        }
    }

    // MARK: Passes

    struct PassWorkspace {
        var workspace: String
        var open: Int
        var signOff: Int
        var completed: Int
        var other: Int
        var runsCompleted: Int
        var certified: String
        var openItems: [OpenItem]
        var moreItems: Int?
        var hasOpenItems: Bool
        var progressHref: String
    }

    struct OpenItem {
        var run: Int
        var name: String
        var state: String
        var cssState: String
        var href: String
    }

    struct PassModel {
        var chrome: PageChrome
        var passes: [SelectOption]
        var pass: String?
        var workspaces: [PassWorkspace]
        var lumiHref: String?
        var asOf: String?
    }

    func passes(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let r = try await ui.begin(request, context)
        let datasets = try ui.api.storage { try ui.api.queries.datasets(asOf: r.version) }
        let keys = Set(datasets.map(\.passKey)).sorted()
        let chosen = request.uri.queryParameters.get("pass").flatMap { $0.isEmpty ? nil : $0 } ?? keys.first
        var workspaces: [PassWorkspace] = []
        if let chosen {
            guard keys.contains(chosen) else {
                throw APIError.notFound("processing pass '\(chosen)' has no dataset at version \(r.version); known: \(keys.joined(separator: ", "))")
            }
            let names = ["global"] + Set(datasets.filter { $0.passKey == chosen }.flatMap { $0.workspaceStates.keys }).sorted()
            for ws in names {
                guard let view = try ui.api.storage({ try ui.api.queries.pass(chosen, workspace: ws, asOf: r.version) }) else { continue }
                let c = view.datasetCounts
                let listed = view.openItems.prefix(50)
                workspaces.append(
                    PassWorkspace(
                        workspace: ws, open: c[.open] ?? 0, signOff: c[.signOff] ?? 0, completed: c[.completed] ?? 0,
                        other: (c[.waitingDQMGUI] ?? 0) + (c[.notSignificant] ?? 0), runsCompleted: view.runCounts[.completed] ?? 0,
                        certified: String(format: "%.3f", view.certifiedRecordedLuminosity),
                        openItems: listed.map {
                            OpenItem(
                                run: $0.dataset.run, name: $0.dataset.name, state: $0.state.rawValue, cssState: Self.css($0.state),
                                href: r.link("/ui/datasets/\($0.dataset.run)", [("name", $0.dataset.name)]))
                        }, moreItems: view.openItems.count > listed.count ? view.openItems.count - listed.count : nil,
                        hasOpenItems: !listed.isEmpty,
                        progressHref: r.link("/ui/plots/progress", [("pass", chosen), ("workspace", ws)])))
            }
        }
        let model = PassModel(
            chrome: ui.chrome("Processing passes", r, section: "Passes"),
            passes: keys.map { SelectOption(value: $0, label: $0, selected: $0 == chosen) }, pass: chosen, workspaces: workspaces,
            lumiHref: chosen.map { r.link("/ui/plots/lumi", [("pass", $0)]) }, asOf: r.asOf)
        return try ui.render("passes", model, r)
    }
}
