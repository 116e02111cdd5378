import APIServer
import Access
import Foundation
import LedgerStorage
import Projections
import Hummingbird

/// The dev sign-in: under `serve --demo` (or the dev loopback mode) on loopback, pick a demo identity, kept in a cookie.
///
/// Outside that mode the page says that sign-in belongs to the single sign-on proxy, and the cookie is ignored.
struct SignInPage {
    let ui: WebUI

    struct Person {
        var email: String
        var name: String
        var groups: String
        var current: Bool
    }

    struct Model {
        var chrome: PageChrome
        var available: Bool
        var people: [Person]
        var returnTo: String
        var csrf: String
    }

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("/signin") { request, context in
            let r = try await ui.begin(request, context)
            let configuration = ui.api.access.resolver.configuration
            let names = Dictionary(DemoAccess.identities.map { ($0.email, $0.displayName ?? $0.email) }, uniquingKeysWith: { a, _ in a })
            let people = configuration.devLoopbackIdentities.keys.sorted().map { email in
                Person(
                    email: email, name: names[email] ?? email,
                    groups: (configuration.devLoopbackIdentities[email] ?? []).joined(separator: ", "),
                    current: r.identity?.email == email)
            }
            let model = Model(
                chrome: ui.chrome("Sign in", r, section: ""), available: configuration.devLoopbackIdentity, people: people,
                returnTo: Self.safeReturn(request.uri.queryParameters.get("return")), csrf: r.csrf)
            return try ui.render("signin", model, r)
        }
        group.post("/signin") { request, context in
            let form = try await ui.readForm(request)
            try await ui.checkForm(request, form, context: context)
            let configuration = ui.api.access.resolver.configuration
            guard configuration.devLoopbackIdentity else {
                throw APIError(.forbidden, "sign_in_unavailable", "the dev sign-in exists only under serve --demo on a loopback address")
            }
            let back = Self.safeReturn(form["return"])
            guard let email = form["email"] else {
                return HTML.redirect(back, cookies: ["\(UIIdentity.identityCookie)=; Path=/; Max-Age=0; SameSite=Lax"])
            }
            guard configuration.devLoopbackIdentities[email] != nil else {
                throw APIError.badRequest(
                    "'\(email)' is not a demo identity; choose one of \(configuration.devLoopbackIdentities.keys.sorted().joined(separator: ", "))")
            }
            let value = email.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "@.-_"))) ?? email
            return HTML.redirect(back, cookies: ["\(UIIdentity.identityCookie)=\(value); Path=/; HttpOnly; SameSite=Lax"])
        }
    }

    /// A local `/ui/…` path to return to; anything else becomes the runs page.
    static func safeReturn(_ text: String?) -> String {
        guard let text, text.hasPrefix("/ui"), !text.hasPrefix("//") else { return "/ui/runs" }
        return text
    }
}
