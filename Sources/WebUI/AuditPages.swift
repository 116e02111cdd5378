import APIServer
import Certification
import CertificationService
import Foundation
import Hummingbird
import LedgerCore
import LedgerStorage
import Projections

/// The audit page: the history of a run, dataset, component or LS as a timeline, and one actor's activity.
struct AuditPages {
    let ui: WebUI

    /// The most events the activity view lists.
    static let activityLimit = 2_000

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("/audit") { request, context in try await audit(request, context) }
    }

    /// One entry of a timeline.
    struct Entry {
        var sequence: UInt64
        var time: String
        var actor: String
        var actorKind: String
        var type: String
        var stream: String
        var summary: String
        var reason: String
        var versionHref: String
    }

    struct Model {
        var chrome: PageChrome
        var run: String
        var dataset: String
        var component: String
        var ls: String
        var actor: String
        var since: String
        var until: String
        var heading: String?
        var entries: [Entry]
        var searched: Bool
        var none: Bool
        var asOf: String?
    }

    static func entry(_ e: AuditEntry) -> Entry {
        var href = "/ui/audit?actor=\(HTML.query(e.actor))"
        if let name = try? StreamName(parsing: e.stream) {
            switch name {
            case .run(let n): href = HTML.url("/ui/runs/\(n)", [("as_of", String(e.sequence))])
            case .dataset(let run, let dataset):
                href = HTML.url("/ui/runs/\(run)/grid", [("dataset", dataset), ("as_of", String(e.sequence))])
            case .config: href = HTML.url("/ui/config", [("as_of", String(e.sequence))])
            case .cycle: break
            }
        }
        return Entry(
            sequence: e.sequence, time: e.recordedAt.iso8601, actor: e.actor, actorKind: e.actorKind.description, type: e.type,
            stream: e.stream, summary: e.summary, reason: e.reason, versionHref: href)
    }

    func audit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let r = try await ui.begin(request, context)
        func q(_ name: String) -> String? { request.query(name) }
        func int(_ name: String) throws -> Int? { try request.queryInt(name, range: 1...Int.max) }
        var model = Model(
            chrome: ui.chrome("Audit", r, section: "Audit"), run: q("run") ?? "", dataset: q("dataset") ?? "",
            component: q("component") ?? "", ls: q("ls") ?? "", actor: q("actor") ?? "", since: q("since") ?? "",
            until: q("until") ?? "", heading: nil, entries: [], searched: false, none: false, asOf: r.asOf)
        // Parameters are read first, so that a bad one is a 400, not a storage failure.
        let run = try int("run"), ls = try int("ls"), since = try request.queryTime("since"), until = try request.queryTime("until")
        if let run {
            let entries = try ui.api.storage {
                try ui.api.audit.history(run: run, dataset: q("dataset"), component: q("component"), lumisection: ls, asOf: r.version)
            }
            model.heading = ["History of run \(run)", q("dataset"), q("component"), ls.map { "LS \($0)" }].compactMap { $0 }
                .joined(separator: " · ")
            model.entries = entries.reversed().map(Self.entry)
            model.searched = true
        } else if let actor = q("actor") {
            // The newest events first: everything up to the shown version, of which the page lists the newest 2,000.
            let entries = try ui.api.storage {
                try ui.api.audit.activity(actor: actor, since: since, until: until, limit: 1_000_000)
            }.filter { $0.sequence <= r.version }
            model.heading = "Activity of \(actor)"
                + (entries.count > Self.activityLimit ? " (the newest \(Self.activityLimit) of \(entries.count) events)" : "")
            model.entries = entries.suffix(Self.activityLimit).reversed().map(Self.entry)
            model.searched = true
        }
        model.none = model.searched && model.entries.isEmpty
        return try ui.render("audit", model, r)
    }
}
