import HTTPTypes
public import Hummingbird
public import Logging
import Projections
import ServiceLifecycle

/// The RunLedger HTTP server: the native API, the Run Registry-compatible routes and the operational routes.
public enum RunLedgerServer {
    /// The router with every route of the server; `extraRoutes` adds more (the web UI) behind the same middleware.
    public static func router(
        api: LedgerAPI, extraRoutes: (Router<APIRequestContext>) -> Void = { _ in }
    ) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ErrorAndMetricsMiddleware(metrics: api.metrics))
        router.add(middleware: ReadAccessMiddleware(api: api))
        OperationsRoutes(api: api).register(on: router)
        NativeReadRoutes(api: api).register(on: router)
        NativeWriteRoutes(api: api).register(on: router)
        AuditRoutes(api: api).register(on: router)
        RunRegistryRoutes(api: api).register(on: router)
        extraRoutes(router)
        return router
    }

    /// The application: the server plus the projection workers as services of the same process.
    ///
    /// Graceful shutdown stops accepting connections, lets the workers finish their batch, and returns;
    /// the caller then closes the log.
    public static func application(
        api: LedgerAPI, router: Router<APIRequestContext>? = nil, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router ?? Self.router(api: api),
            configuration: .init(address: .hostname(host, port: port), serverName: "runledger"),
            services: [
                ProjectionService(
                    runtime: api.runtime, followers: api.certificationJSONs.keys.sorted().map { api.certificationJSONs[$0]! },
                    logger: logger)
            ],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

/// Refuses anonymous requests when the configuration closes reads (`reads_open: false`).
///
/// Every route but `/health` needs an identity then, the Run Registry's POST reads included;
/// writes are checked again against their action by their handlers.
struct ReadAccessMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let api: LedgerAPI

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        // The web UI checks reads itself (after the demo sign-in cookie) and answers with an HTML page.
        if request.uri.path != "/health" && !request.uri.path.hasPrefix("/ui") {
            let flavour: ErrorFlavour = ErrorAndMetricsMiddleware.isNative(request.uri.path) ? .native : .runRegistry
            try await api.access.authorizeRead(request, context, flavour: flavour)
        }
        return try await next(request, context)
    }
}
