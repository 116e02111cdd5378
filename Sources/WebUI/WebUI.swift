public import APIServer
import Access
import Foundation
import Projections
import HTTPTypes
public import Hummingbird
import LedgerCore
import LedgerStorage
import Mustache

/// The web UI: server-rendered pages under `/ui/` over the same services, identity and permissions as the API.
///
/// ```swift
/// let ui = try await WebUI(api: api)
/// let router = RunLedgerServer.router(api: api) { ui.register(on: $0) }
/// ```
public struct WebUI: Sendable {
    let api: LedgerAPI
    let templates: MustacheLibrary
    let assets: [String: (bytes: [UInt8], type: String)]

    /// Loads the templates and static files that ship with the module.
    public init(api: LedgerAPI) async throws {
        self.api = api
        guard let root = Bundle.module.resourceURL else {
            throw WebUIError("the web UI's resources (templates, static files) are missing beside the executable")
        }
        templates = try await MustacheLibrary(directory: root.appendingPathComponent("Templates").path)
        var assets: [String: (bytes: [UInt8], type: String)] = [:]
        let staticDirectory = root.appendingPathComponent("Static")
        for name in try FileManager.default.contentsOfDirectory(atPath: staticDirectory.path) {
            let data = try Data(contentsOf: staticDirectory.appendingPathComponent(name))
            let type =
                name.hasSuffix(".css") ? "text/css; charset=utf-8"
                : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
            assets[name] = (Array(data), type)
        }
        self.assets = assets
    }

    /// Adds the UI's routes to `router`.
    public func register(on router: Router<APIRequestContext>) {
        let ui = self
        router.get("/") { _, _ in HTML.redirect("/ui/runs") }
        let group = router.group("/ui").add(middleware: UIErrorMiddleware(ui: ui))
        group.get("/static/{file}") { _, context in
            guard let name = context.parameters.get("file"), let asset = ui.assets[name] else {
                throw APIError.notFound("there is no static file '\(context.parameters.get("file") ?? "")'")
            }
            return HTML.asset(asset.bytes, contentType: asset.type)
        }
        RunPages(ui: ui).register(on: group)
        GridPage(ui: ui).register(on: group)
        DatasetPages(ui: ui).register(on: group)
        GoldenPage(ui: ui).register(on: group)
        AuditPages(ui: ui).register(on: group)
        ConfigPage(ui: ui).register(on: group)
        PlotPages(ui: ui).register(on: group)
        SignInPage(ui: ui).register(on: group)
        group.get("/**") { request, _ -> Response in
            throw APIError.notFound("there is no page \(request.uri.path)")
        }
    }

    // MARK: - Requests

    /// Resolves who asks and which version the page shows; `as_of` beyond the latest is a 404, a pruned one 410.
    func begin(_ request: Request, _ context: APIRequestContext) async throws -> UIRequest {
        let identity = try await identify(request, context)
        if !api.access.readsOpen && identity == nil && request.uri.path != "/ui/signin" {
            throw APIError(
                .unauthorized, "authentication_required",
                "reading needs an identity here: sign in through the single sign-on proxy (or, in demo mode, on the sign-in page)")
        }
        let asOfText = request.uri.queryParameters.get("as_of").flatMap { $0.isEmpty || $0 == "latest" ? nil : $0 }
        let version = try await api.resolveVersion(asOfText)
        let latest = max(api.runtime.checkpoint, version)
        let cookies = UIIdentity.cookies(request)
        let token = cookies[UIIdentity.csrfCookie].flatMap { $0.count == 32 ? $0 : nil }
        let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        return UIRequest(
            identity: identity, version: version, isPast: asOfText != nil && version < latest, latest: latest,
            asOf: asOfText == nil ? nil : String(version), csrf: token ?? UIIdentity.newToken(), setCSRFCookie: token == nil,
            path: request.uri.path, query: query)
    }

    /// The caller: the API's resolver, plus the demo identity cookie when the dev loopback mode is on.
    func identify(_ request: Request, _ context: APIRequestContext) async throws -> Identity? {
        var request = request
        let configuration = api.access.resolver.configuration
        if configuration.devLoopbackIdentity, request.headers[HTTPField.Name("email")!] == nil,
            let chosen = UIIdentity.cookies(request)[UIIdentity.identityCookie]?.removingPercentEncoding,
            configuration.devLoopbackIdentities[chosen] != nil
        {
            var head = request.head
            head.headerFields[HTTPField.Name("email")!] = chosen
            request = Request(head: head, body: request.body)
        }
        return try await api.access.identify(request, context)
    }

    /// Whether `identity` may do `action` (for offering a form; the write path checks again).
    func may(_ identity: Identity?, _ action: Action) -> Bool {
        guard let policy = try? api.access.policy() else { return false }
        if case .allowed = policy.authorize(identity, action) { return identity != nil }
        return false
    }

    /// Checks a form post's anti-forgery token against the browser's cookie (403 when they differ).
    func checkForm(_ request: Request, _ form: FormBody) throws {
        let cookie = UIIdentity.cookies(request)[UIIdentity.csrfCookie]
        guard let cookie, let sent = form["csrf"], cookie == sent else {
            throw APIError(
                .forbidden, "stale_form",
                "the form's anti-forgery token is missing or does not match this browser's; reload the page and submit again")
        }
    }

    /// Reads a URL-encoded form body (at most the configured body size).
    func readForm(_ request: Request) async throws -> FormBody {
        var request = request
        let buffer = try await request.collectBody(upTo: api.settings.maxBodyBytes)
        return FormBody(String(buffer: buffer))
    }

    // MARK: - Rendering

    /// The chrome of a page titled `title`.
    func chrome(_ title: String, _ ui: UIRequest, section: String, flash: String? = nil) -> PageChrome {
        let sections: [(String, String)] = [
            ("Runs", "/ui/runs"), ("Passes", "/ui/passes"), ("Golden JSON", "/ui/golden"), ("Plots", "/ui/plots"),
            ("Audit", "/ui/audit"), ("Config", "/ui/config"),
        ]
        var past: PageChrome.PastVersion?
        if ui.isPast {
            let time = (try? api.log.read { try $0.event(at: ui.version) })?.flatMap { $0 }.map { $0.recordedAt.iso8601 } ?? ""
            past = .init(version: ui.version, time: time, latest: ui.latest)
        }
        let devSignIn = api.access.resolver.configuration.devLoopbackIdentity
        let here = HTML.url(ui.path, ui.query.filter { $0.0 != "as_of" && $0.0 != "saved" }.map { ($0.0, Optional($0.1)) })
        return PageChrome(
            title: title, email: ui.identity?.email, groups: ui.identity.map { $0.egroups.sorted().joined(separator: ", ") } ?? "",
            signedIn: ui.identity != nil, devSignIn: devSignIn, signInHref: HTML.url("/ui/signin", [("return", here)]),
            nav: sections.map { .init(label: $0.0, href: $0.1, current: $0.0 == section) }, version: ui.version,
            latest: ui.latest, past: past, csrf: ui.csrf, flash: flash, nowHref: here)
    }

    /// Renders a template with a page model into an HTML answer.
    func render(_ template: String, _ model: Any, _ ui: UIRequest, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = templates.render(model, withTemplate: template) else {
            throw WebUIError("the template '\(template)' is missing")
        }
        return HTML.page(html, status: status, cookies: ui.cookies)
    }

    /// The readable error page of a failed request.
    func errorPage(_ error: APIError, request: Request) -> Response {
        let model = ErrorPageModel(
            chrome: PageChrome(
                title: "\(error.status.code) \(error.status.reasonPhrase)", email: nil, groups: "", signedIn: false,
                devSignIn: false, signInHref: "/ui/signin", nav: [], version: 0, latest: api.runtime.checkpoint, past: nil,
                csrf: "", flash: nil, nowHref: request.uri.path),
            status: Int(error.status.code), reason: error.status.reasonPhrase, code: error.code, message: error.message,
            path: request.uri.path)
        let html = templates.render(model, withTemplate: "error") ?? HTML.escape(error.message)
        return HTML.page(html, status: error.status)
    }
}

/// The model of the error page.
struct ErrorPageModel {
    var chrome: PageChrome
    var status: Int
    var reason: String
    var code: String
    var message: String
    var path: String
}

/// A failure of the web UI itself (a missing template or resource).
struct WebUIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Turns a UI route's failure into a readable HTML page with the right status.
struct UIErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let ui: WebUI

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return ui.errorPage(error, request: request)
        } catch let error as HTTPError {
            return ui.errorPage(APIError(error.status, "http_error", error.body ?? error.status.reasonPhrase), request: request)
        } catch {
            return ui.errorPage(APIError(.internalServerError, "internal", "\(error)"), request: request)
        }
    }
}
