import HTTPTypes
import Foundation
import NIOCore
import Hummingbird

/// Middleware that turns every failure into the JSON error its caller expects and counts every answer.
///
/// Native routes (`/v1/…`, `/health`, `/metrics`) answer `{"error", "message"}`; the Run Registry
/// routes answer `{"err"}`. An unknown route is a JSON 404 too, never an HTML page.
struct ErrorAndMetricsMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let metrics: APIMetrics

    func handle(
        _ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.errorResponse(error, request: request)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        metrics.recordRequest(
            method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: response.status.code,
            seconds: seconds)
        return response
    }

    /// Whether a path belongs to the native API (else it is a Run Registry route).
    static func isNative(_ path: String) -> Bool {
        path.hasPrefix("/v1/") || path == "/v1" || path == "/health" || path == "/metrics" || path.hasPrefix("/ui")
    }

    static func errorResponse(_ error: any Error, request: Request) -> Response {
        let apiError: APIError
        switch error {
        case let e as APIError:
            apiError = e
        case is NIOTooManyBytesError:
            apiError = APIError(.contentTooLarge, "body_too_large", "the request body is larger than the configured limit")
        case let e as HTTPError:
            switch e.status {
            case .notFound:
                apiError = .notFound("there is no route \(request.method.rawValue) \(request.uri.path)")
            case .contentTooLarge:
                apiError = APIError(.contentTooLarge, "body_too_large", "the request body is larger than the configured limit")
            case .methodNotAllowed:
                apiError = APIError(.methodNotAllowed, "method_not_allowed", "\(request.method.rawValue) is not allowed on \(request.uri.path)")
            default:
                apiError = APIError(e.status, "http_error", e.body ?? e.status.reasonPhrase)
            }
        default:
            apiError = APIError(.internalServerError, "internal", "\(error)")
        }
        return isNative(request.uri.path) ? JSONResponses.nativeError(apiError) : JSONResponses.runRegistryError(apiError)
    }
}
