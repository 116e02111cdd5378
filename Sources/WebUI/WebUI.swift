public import APIServer
import Access
import Foundation
import Projections
import HTTPTypes
public import Hummingbird
import LedgerCore
import LedgerStorage
import Mustache
import Plots

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
    let formTokens = FormTokens()

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
        guard version > 0 || asOfText == nil else {
            throw APIError.notFound("as_of \(asOfText!) is before the first event of the log (version 1)")
        }
        let latest = max(api.runtime.checkpoint, version)
        let cookies = UIIdentity.cookies(request)
        let token = cookies[UIIdentity.csrfCookie].flatMap { formTokens.isValid($0, for: identity?.email ?? "") ? $0 : nil }
        let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        return UIRequest(
            identity: identity, version: version, isPast: asOfText != nil && version < latest, latest: latest,
            asOf: asOfText == nil ? nil : String(version), csrf: token ?? formTokens.issue(for: identity?.email ?? ""), setCSRFCookie: token == nil,
            path: request.uri.path, query: query)
    }

    /// The caller: the demo identity of the sign-in cookie when the dev loopback mode allows it, else
    /// whatever the API's resolver makes of the request (bearer token, proxy headers, loopback `email`).
    func identify(_ request: Request, _ context: APIRequestContext) async throws -> Identity? {
        if let demo = demoIdentity(request, context) { return demo }
        return try await api.access.identify(request, context)
    }

    /// The demo identity chosen on the sign-in page, honoured only in the dev loopback mode: the
    /// server bound to loopback, the peer on loopback, and the browser addressing a loopback host
    /// (a page of another name cannot reach it through DNS rebinding).
    func demoIdentity(_ request: Request, _ context: APIRequestContext) -> Identity? {
        let configuration = api.access.resolver.configuration
        guard configuration.devLoopbackIdentity, LoopbackHost.isLoopback(api.access.bindHost),
            let peer = context.remoteAddress?.ipAddress.flatMap(IPAddress.init), peer.isLoopback,
            Self.isLoopbackHostHeader(request.head.authority ?? ""),
            let chosen = UIIdentity.cookies(request)[UIIdentity.identityCookie]?.removingPercentEncoding,
            let groups = configuration.devLoopbackIdentities[chosen]
        else { return nil }
        return Identity(email: chosen, egroups: Set(groups), displayName: nil, method: .devLoopback)
    }

    /// Whether a `Host` value (`127.0.0.1:9500`, `[::1]:9500`, `localhost`) names a loopback host.
    static func isLoopbackHostHeader(_ value: String) -> Bool {
        var host = Substring(value)
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<end]
        } else if let colon = host.lastIndex(of: ":"), host.filter({ $0 == ":" }).count == 1 {
            host = host[..<colon]
        }
        return LoopbackHost.isLoopback(String(host))
    }

    /// Whether `identity` may do `action` (for offering a form; the write path checks again).
    func may(_ identity: Identity?, _ action: Action) -> Bool {
        guard let policy = try? api.access.policy() else { return false }
        if case .allowed = policy.authorize(identity, action) { return identity != nil }
        return false
    }

    /// Checks a form post: it must come from this site and carry the anti-forgery token this server
    /// issued to this browser for this caller (cookie and hidden field, signed). 403 otherwise.
    ///
    /// The site check trusts `Sec-Fetch-Site` (every current browser sends it; a reverse proxy that
    /// rewrites `Host` does not change it); without it, `Origin` must name the `Host` or, from the
    /// trusted proxy, the `X-Forwarded-Host`.
    @discardableResult
    func checkForm(_ request: Request, _ form: FormBody, context: APIRequestContext) async throws -> Identity? {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] {
            guard site == "same-origin" || site == "none" else {
                throw APIError(.forbidden, "cross_site_form", "a form posted from another site (Sec-Fetch-Site: \(site)) is refused")
            }
        } else if let origin = request.headers[HTTPField.Name("Origin")!], origin != "null" {
            let originHost = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
            var hosts = [request.head.authority ?? ""]
            if let forwarded = request.headers[HTTPField.Name("X-Forwarded-Host")!], isFromTrustedProxy(context) {
                hosts.append(forwarded)
            }
            guard hosts.contains(originHost) else {
                throw APIError(.forbidden, "cross_site_form", "a form posted from \(origin) to \(hosts[0]) is refused")
            }
        }
        let identity = try await identify(request, context)
        guard let cookie = UIIdentity.cookies(request)[UIIdentity.csrfCookie], let sent = form["csrf"], cookie == sent,
            formTokens.isValid(sent, for: identity?.email ?? "")
        else {
            throw APIError(
                .forbidden, "stale_form",
                "the form's anti-forgery token is missing, was not issued by this server for you, or does not match this browser's (after signing in as someone else or a server restart, for example); go back, reload the page and submit again")
        }
        return identity
    }

    /// Whether the peer is one of the trusted proxy's addresses.
    func isFromTrustedProxy(_ context: APIRequestContext) -> Bool {
        guard let proxy = api.access.resolver.configuration.trustedProxy,
            let peer = context.remoteAddress?.ipAddress.flatMap(IPAddress.init)
        else { return false }
        return proxy.trusts(peer)
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

    /// The readable error page of a failed request, with the caller's identity when it can be told.
    func errorPage(_ error: APIError, request: Request, context: APIRequestContext) async -> Response {
        let identity = try? await identify(request, context)
        let checkpoint = api.runtime.checkpoint
        let r = UIRequest(
            identity: identity, version: checkpoint, isPast: false, latest: checkpoint, asOf: nil, csrf: "", setCSRFCookie: false,
            path: "/ui/runs", query: [])
        let model = ErrorPageModel(
            chrome: chrome("\(error.status.code) \(error.status.reasonPhrase)", r, section: ""),
            status: Int(error.status.code), reason: error.status.reasonPhrase, code: error.code, message: error.message,
            path: request.uri.path)
        let html = templates.render(model, withTemplate: "error") ?? xmlEscaped(error.message)
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
            return await ui.errorPage(error, request: request, context: context)
        } catch let error as HTTPError {
            return await ui.errorPage(
                APIError(error.status, "http_error", error.body ?? error.status.reasonPhrase), request: request, context: context)
        } catch {
            return await ui.errorPage(APIError(.internalServerError, "internal", "\(error)"), request: request, context: context)
        }
    }
}
