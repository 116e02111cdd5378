import HTTPTypes
public import Access
package import Certification
package import Hummingbird
import LedgerCore
public import LedgerStorage
import Synchronization

/// Which error shape a route answers with: the native API's, or the Run Registry client's.
public enum ErrorFlavour: Sendable {
    /// `{"error", "message"}`; 401 for no identity, 403 for a permission denial.
    case native
    /// `{"err"}`; every refusal is 401 with the e-group message, as `runregistry` expects.
    case runRegistry
}

/// The server's door: who a request is (``IdentityResolver``) and whether it may act (``PermissionPolicy``).
///
/// The policy is rebuilt from the event-sourced permissions whenever their stream's version moves,
/// so a permission change takes effect at the next request, and every check uses one consistent set.
public final class AccessGate: Sendable {
    package let resolver: IdentityResolver
    let log: EventLog
    package let bindHost: String
    package let readsOpen: Bool
    private let cache = Mutex<(version: UInt64, policy: PermissionPolicy)?>(nil)

    /// Creates the gate for a server bound to `bindHost`.
    public init(resolver: IdentityResolver, log: EventLog, bindHost: String) {
        self.resolver = resolver
        self.log = log
        self.bindHost = bindHost
        self.readsOpen = resolver.configuration.readsOpen
    }

    /// The permission policy of the current permissions.
    package func policy() throws(APIError) -> PermissionPolicy {
        let stream = StreamName.config(.permissions).id
        do {
            let version = try log.read { try $0.streamVersion(stream) }
            if let cached = cache.withLock({ $0 }), cached.version == version { return cached.policy }
            var config = ConfigAggregate(kind: .permissions)
            let events = try log.read { try $0.streamEvents(stream) }
            for e in events { try config.apply(e) }
            let policy = PermissionPolicy(configuration: config, readsOpen: readsOpen)
            cache.withLock { $0 = (config.version, policy) }
            return policy
        } catch {
            throw APIError(.internalServerError, "permissions_unreadable", "the permissions cannot be read: \(error)")
        }
    }

    /// The identity of a request, nil when anonymous; a bad bearer token is a 401.
    package func identify(_ request: Request, _ context: APIRequestContext) async throws(APIError) -> Identity? {
        let headers = AccessRequest.Headers(request.headers.map { ($0.name.canonicalName, $0.value) })
        do {
            return try await resolver.resolve(
                AccessRequest(headers: headers, peerAddress: context.remoteAddress?.ipAddress, bindHost: bindHost))
        } catch {
            throw APIError(.unauthorized, "invalid_credentials", error.message)
        }
    }

    /// The identity of a caller allowed to do `action`, or the 401/403 answer.
    package func authorize(
        _ request: Request, _ context: APIRequestContext, action: Action, flavour: ErrorFlavour
    ) async throws(APIError) -> Identity {
        try authorize(try await identify(request, context), action: action, flavour: flavour)
    }

    /// The identity, if it is allowed to do `action`, or the 401/403 answer.
    package func authorize(_ identity: Identity?, action: Action, flavour: ErrorFlavour) throws(APIError) -> Identity {
        switch try policy().authorize(identity, action) {
        case .allowed:
            guard let identity else { throw APIError(.unauthorized, "authentication_required", "\(action) needs an identity") }
            return identity
        case .authenticationRequired:
            throw APIError(
                .unauthorized, "authentication_required",
                "\(action) needs an identity: a bearer token, or identity headers from the trusted proxy")
        case .denied(let denial):
            throw APIError(flavour == .native ? .forbidden : .unauthorized, "forbidden", denial.message)
        }
    }

    /// Checks that a caller may read (always, when reads are open).
    func authorizeRead(_ request: Request, _ context: APIRequestContext, flavour: ErrorFlavour) async throws(APIError) {
        guard !readsOpen else { return }
        _ = try await authorize(request, context, action: .read, flavour: flavour)
    }
}
