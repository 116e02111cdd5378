import APIServer
import Access
import Certification
import CertificationService
import Foundation
import Hummingbird
import LedgerCore
import LedgerStorage
import Projections
import Rules

/// The configuration page (experts): classifiers, datasets-accepted rules, permissions and the component
/// catalogue, each with its history; edits go through the same configuration commands as the API.
struct ConfigPage {
    let ui: WebUI

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("/config") { request, context in try await page(request, context, error: nil) }
        group.post("/config") { request, context in try await edit(request, context) }
    }

    struct Item {
        var title: String
        var detail: String
    }

    struct Section {
        var kind: String
        var title: String
        var items: [Item]
        var history: [AuditPages.Entry]
        var canEdit: Bool
    }

    struct Model {
        var chrome: PageChrome
        var sections: [Section]
        var commands: [SelectOption]
        var canEditAny: Bool
        var error: String?
        var body: String
        var reason: String
        var csrf: String
    }

    func page(
        _ request: Request, _ context: APIRequestContext, error: String?, command: String = "", body: String = "", reason: String = ""
    ) async throws -> Response {
        let r = try await ui.begin(request, context)
        var sections: [Section] = []
        for kind in [ConfigKind.classifiers, .datasetsAccepted, .permissions, .components] {
            let entries = try ui.api.storage { try ui.api.audit.streamHistory(.config(kind), asOf: r.version) }
            var aggregate = ConfigAggregate(kind: kind)
            let events = try ui.api.storage {
                try ui.api.log.read { try $0.streamEvents(StreamName.config(kind).id) }.filter { $0.sequence <= r.version }
            }
            for e in events { try aggregate.apply(e) }
            let items: [Item]
            switch kind {
            case .classifiers:
                items = aggregate.classifiers.keys.sorted { $0.rawValue < $1.rawValue }.flatMap { k in
                    aggregate.classifiers[k]!.keys.sorted().map { id in
                        let c = aggregate.classifiers[k]![id]!
                        return Item(
                            title: "\(k.rawValue) #\(id)\(c.target.isEmpty ? "" : " → \(c.target)")\(c.status.map { " = \($0.rawValue)" } ?? "")\(c.enabled ? "" : " (disabled)")",
                            detail: c.logic)
                    }
                }
            case .datasetsAccepted:
                items = aggregate.sortedAcceptedRules.map {
                    Item(
                        title: "#\($0.id) \($0.name) · class \($0.runClass)\($0.enabled ? "" : " (disabled)")",
                        detail: "\($0.regexp)  runs \($0.runFrom.map(String.init) ?? "…")–\($0.runTo.map(String.init) ?? "…")")
                }
            case .permissions:
                items = aggregate.permissions.keys.sorted().map { id in
                    let p = aggregate.permissions[id]!
                    return Item(title: "#\(id) \(p.egroup)", detail: p.routes.joined(separator: "  "))
                }
            case .components:
                let c = aggregate.catalogue
                items = [
                    Item(title: "Online certifiable", detail: c.certifiableOnlineComponents.joined(separator: ", ")),
                    Item(title: "Offline certifiable", detail: c.certifiableOfflineComponents.joined(separator: ", ")),
                    Item(title: "Offline workspaces", detail: c.offlineWorkspaceNames.joined(separator: ", ")),
                ]
            }
            sections.append(
                Section(
                    kind: kind.rawValue, title: Self.title(kind), items: items, history: entries.reversed().map(AuditPages.entry),
                    canEdit: !r.isPast && ui.may(r.identity, Action(.configEdit, kind.rawValue))))
        }
        let model = Model(
            chrome: ui.chrome("Configuration", r, section: "Config", flash: request.uri.queryParameters.get("saved").map {
                "Saved at sequence \($0)."
            }),
            sections: sections,
            commands: CommandTranslation.configCommands.map { SelectOption(value: $0, label: $0, selected: $0 == command) },
            canEditAny: sections.contains { $0.canEdit }, error: error, body: body, reason: reason, csrf: r.csrf)
        return try ui.render("config", model, r, status: error == nil ? .ok : .unprocessableContent)
    }

    static func title(_ kind: ConfigKind) -> String {
        switch kind {
        case .classifiers: return "Classifiers"
        case .datasetsAccepted: return "Datasets-accepted rules"
        case .permissions: return "Permissions"
        case .components: return "Component catalogue"
        }
    }

    /// Applies a configuration command: `command` is one of the API's config commands, `body` its JSON body.
    func edit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let form = try await ui.readForm(request)
        let caller = try await ui.checkForm(request, form, context: context)
        let command = form["command"] ?? ""
        let text = form.raw("body") ?? ""
        do {
            let body = try BodyReader.parse(Array(text.utf8))
            let translated = try CommandTranslation.config(command, body)
            let outcome = try await ui.perform(translated, by: caller, reason: form["reason"])
            return HTML.redirect(HTML.url("/ui/config", [("saved", String(outcome.sequence))]))
        } catch let error as APIError where [400, 404, 409, 422].contains(error.status.code) {
            return try await page(request, context, error: error.message, command: command, body: text, reason: form["reason"] ?? "")
        }
    }
}
