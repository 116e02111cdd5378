import LedgerStorage
import HTTPTypes
import Access
import Certification
package import Hummingbird
import LedgerCore
import Rules

extension LedgerAPI {
    /// Reads a request body (at most the configured size, else 413) as a JSON object.
    package func readBody(_ request: Request) async throws -> BodyReader {
        var request = request
        let buffer = try await request.collectBody(upTo: settings.maxBodyBytes)
        return try BodyReader.parse(Array(buffer.readableBytesView))
    }
}

/// The native write routes: every domain command is a POST with an optional `expected_version`.
struct NativeWriteRoutes {
    let api: LedgerAPI

    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    func register(on router: Router<APIRequestContext>) {
        let api = self.api
        router.post("/v1/runs/{run}/{command}") { request, context in
            let run = try context.runNumber()
            let name = context.parameters.get("command") ?? ""
            let body = try await api.readBody(request)
            return try await write(request, context, body, try CommandTranslation.run(run, name, body))
        }
        router.post("/v1/datasets/{run}/{command}") { request, context in
            let run = try context.runNumber()
            let name = context.parameters.get("command") ?? ""
            let body = try await api.readBody(request)
            return try await write(request, context, body, try CommandTranslation.dataset(run, name, body))
        }
        router.post("/v1/cycles/{cycle}/{command}") { request, context in
            let cycle = context.parameters.get("cycle") ?? ""
            let name = context.parameters.get("command") ?? ""
            let body = try await api.readBody(request)
            return try await write(request, context, body, try CommandTranslation.cycle(cycle, name, body))
        }
        router.post("/v1/config/{command}") { request, context in
            let name = context.parameters.get("command") ?? ""
            let body = try await api.readBody(request)
            return try await write(request, context, body, try CommandTranslation.config(name, body))
        }
    }

    /// Authorises, performs and answers one translated command.
    func write(
        _ request: Request, _ context: APIRequestContext, _ body: BodyReader, _ translated: TranslatedCommand
    ) async throws -> Response {
        let identity = try await api.access.authorize(request, context, action: translated.action, flavour: .native)
        let outcome = try await api.perform(
            [translated.command], actor: identity.email, reason: try body.optionalString("reason"),
            expectedVersion: try body.expectedVersion(), idempotencyKey: request.headers[Self.idempotencyHeader])
        return Self.answer(outcome, stream: translated.command.stream.id)
    }

    /// The answer of an accepted write: the sequences, the stream's new version and the event types.
    static func answer(_ outcome: LedgerAPI.WriteOutcome, stream: String) -> Response {
        let o: JSONObject = [
            "sequence": .number(Double(outcome.sequence)),
            "first_sequence": outcome.result.map { .number(Double($0.firstSequence)) } ?? .null,
            "stream": .string(stream),
            "stream_version": .number(Double(outcome.streamVersion)),
            "events": .array(outcome.eventTypes.map { .string($0) }),
            "changed": .bool(outcome.result != nil),
            "duplicate": .bool(outcome.result?.wasDuplicate ?? false),
        ]
        return JSONResponses.json(.object(o), sequence: outcome.sequence)
    }
}
