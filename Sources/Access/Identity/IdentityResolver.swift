public import Foundation

/// The resolver that turns a request description into an ``Identity``, or `nil` for an anonymous caller.
///
/// Build one at startup from the configuration (JWT keys are loaded once), then ask it per request:
///
/// ```swift
/// let resolver = try await IdentityResolver(configuration: access, bindHost: "127.0.0.1")
/// let identity = try await resolver.resolve(
///     AccessRequest(headers: headers, peerAddress: "127.0.0.1", bindHost: "127.0.0.1"))
/// ```
///
/// Rules, in order:
/// 1. `Authorization: Bearer <token>` with `jwt` configured: the token must verify (signature, `exp`,
///    `nbf`, issuer and audience when configured); a bad token throws and never falls through to headers.
///    Without `jwt` the header is ignored, as are schemes other than Bearer: a proxy in front may forward
///    a token meant for itself.
/// 2. Identity headers from a peer that is one of `trusted_proxy.addresses`.
/// 3. With `dev_loopback_identity`, the `email` header (and `egroups`, or the configured default groups)
///    of a loopback peer on a loopback bind.
/// 4. Otherwise anonymous.
///
/// - Important: Identity headers from any other peer are ignored, never rejected: the request goes on as
///   anonymous, so a spoofing attempt cannot become an identity, and reads stay possible for clients that
///   always send `email` (the runregistry client's local mode). Writes then need authentication (401).
public struct IdentityResolver: Sendable {
    /// The configuration the resolver was built from.
    public let configuration: AccessConfiguration
    private let bearer: BearerTokenVerifier?

    /// Builds a resolver, loading the JWT keys and checking that the configuration is safe for `bindHost`.
    ///
    /// - Parameters:
    ///   - configuration: The `access` section.
    ///   - bindHost: The host the server binds to (`127.0.0.1`, `::1`, `localhost`, `0.0.0.0`, …).
    ///   - now: The clock for token expiry; the system clock by default.
    /// - Throws: ``AccessError`` `invalidConfiguration` when a key does not load, or when the dev loopback
    ///   identity is on and `bindHost` is not a loopback address.
    public init(
        configuration: AccessConfiguration,
        bindHost: String,
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws(AccessError) {
        if configuration.devLoopbackIdentity, !LoopbackHost.isLoopback(bindHost) {
            throw .configuration(
                "access.dev_loopback_identity",
                "the dev loopback identity is refused on the non-loopback bind \"\(bindHost)\"; "
                    + "bind to 127.0.0.1, ::1 or localhost, or turn it off")
        }
        for group in configuration.devLoopbackDefaultEgroups where !EgroupList.isValidName(group) {
            throw .configuration("access.dev_loopback_default_egroups", "\"\(group)\" is not an e-group name")
        }
        self.configuration = configuration
        if let jwt = configuration.jwt {
            bearer = try await BearerTokenVerifier(settings: jwt, now: now)
        } else {
            bearer = nil
        }
    }

    /// The identity of `request`, or `nil` when the caller is anonymous.
    ///
    /// - Throws: ``AccessError`` `invalidToken` when a bearer token is presented and does not verify.
    public func resolve(_ request: AccessRequest) async throws(AccessError) -> Identity? {
        if let bearer, let token = try bearerToken(in: request.headers) {
            return try await bearer.identity(from: token)
        }
        let peer = request.peerAddress.flatMap { IPAddress($0) }
        if let proxy = configuration.trustedProxy, let peer, proxy.trusts(peer) {
            return proxyIdentity(request.headers, proxy: proxy)
        }
        if configuration.devLoopbackIdentity, let peer, peer.isLoopback, LoopbackHost.isLoopback(request.bindHost) {
            return devIdentity(request.headers)
        }
        return nil
    }

    /// The bearer token of the `Authorization` header, `nil` without one; several headers are an error.
    private func bearerToken(in headers: AccessRequest.Headers) throws(AccessError) -> String? {
        let values = headers.values(for: "Authorization")
        guard !values.isEmpty else { return nil }
        guard values.count == 1 else { throw .token("the request has more than one Authorization header") }
        let value = values[0].drop { $0 == " " }
        guard value.count > 7, value.prefix(7).lowercased() == "bearer " else { return nil }
        let token = value.dropFirst(7).trimmingSpaces()
        guard !token.isEmpty else { throw .token("the Bearer token is empty") }
        return token
    }

    /// The identity the trusted proxy's headers assert, or `nil` when it sent no usable e-mail.
    private func proxyIdentity(_ headers: AccessRequest.Headers, proxy: AccessConfiguration.TrustedProxy) -> Identity? {
        guard let email = headers.single(proxy.emailHeader)?.trimmingSpaces(), Identity.isValidEmail(email) else {
            return nil
        }
        let groups = EgroupList.parse(headers.values(for: proxy.egroupsHeader).joined(separator: ","))
        let name = headers.single(proxy.displayNameHeader)?.trimmingSpaces()
        return Identity(email: email, egroups: groups, displayName: name?.isEmpty == false ? name : nil, method: .proxy)
    }

    /// The dev-mode identity: the `email` header as it is, the `egroups` header or the default groups.
    private func devIdentity(_ headers: AccessRequest.Headers) -> Identity? {
        guard let email = headers.single("email")?.trimmingSpaces(), Identity.isValidEmail(email) else { return nil }
        let groups =
            headers.contains("egroups")
            ? EgroupList.parse(headers.values(for: "egroups").joined(separator: ","))
            : Set(configuration.devLoopbackIdentities[email] ?? configuration.devLoopbackDefaultEgroups)
        return Identity(email: email, egroups: groups, displayName: nil, method: .devLoopback)
    }
}
