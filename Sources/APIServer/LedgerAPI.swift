import HTTPTypes
package import Certification
package import CertificationService
import Foundation
public import GoldenService
package import Hummingbird
public import LedgerCore
public import LedgerStorage
public import Projections
import Rules
import GoldenJSON

/// The server's shared state: the log, the projection runtime, the view queries and the write path.
///
/// Route handlers only translate HTTP into calls on this object and its answers back into HTTP.
public final class LedgerAPI: Sendable {
    /// The event log (opened for appends).
    public let log: EventLog
    /// The projection runtime whose views every read is served from.
    public let runtime: ProjectionRuntime
    /// Typed, versioned reads of the views.
    public let queries: ViewQueries
    /// Who-did-what reads straight from the log.
    package let audit: AuditQueries
    /// Request and write counters for `/metrics`.
    let metrics: APIMetrics
    /// The server's settings.
    public let settings: ServerSettings
    /// Identity and permissions.
    package let access: AccessGate
    /// The Run Registry list documents of the latest version.
    let documentCache = DocumentCache()
    /// Serialised native answers per (URI, version answered).
    let answers = AnswerCache()
    /// The maintained certification-JSON projections (projections/*.json), by definition name.
    public let certificationJSONs: [String: CertificationJSONRuntime]

    /// Creates the API over an open log, its projection runtime and the maintained certification JSONs.
    public init(
        log: EventLog, runtime: ProjectionRuntime, certificationJSONs: [CertificationJSONRuntime] = [], settings: ServerSettings,
        access: AccessGate
    ) {
        self.log = log
        self.runtime = runtime
        self.certificationJSONs = Dictionary(uniqueKeysWithValues: certificationJSONs.map { ($0.definition.name, $0) })
        self.queries = ViewQueries(runtime: runtime)
        self.audit = AuditQueries(log: log)
        self.metrics = APIMetrics()
        self.settings = settings
        self.access = access
    }

    /// The health of the views and of every maintained certification JSON.
    func allHealth() throws -> [ProjectionRuntime.Health] {
        try [runtime.health()] + certificationJSONs.keys.sorted().map { try certificationJSONs[$0]!.health() }
    }

    // MARK: - Versions

    /// Resolves a request's `as_of` (a sequence or an ISO-8601 time; absent = latest) to a sequence
    /// the views have reached, waiting briefly for the projection when it asks for a newer one.
    package func resolveVersion(_ request: Request) async throws(APIError) -> UInt64 {
        try await resolveVersion(request.uri.queryParameters.get("as_of"))
    }

    /// Resolves an `as_of` text; see ``resolveVersion(_:)-(Request)``.
    package func resolveVersion(_ text: String?) async throws(APIError) -> UInt64 {
        // The latest version is what the views hold: their checkpoint never passes the log's head.
        if text == nil || text == "" || text == "latest" { return runtime.checkpoint }
        let head: UInt64
        do { head = try log.head().sequence } catch { throw APIError(.internalServerError, "storage", "\(error)") }
        let target: UInt64
        let t = text!
        if let s = UInt64(t) {
            guard s <= head else {
                throw APIError(
                    .notFound, "version_not_found", "as_of \(s) is beyond the latest version \(head) (the log's head)",
                    extra: [("latest_version", .number(Double(head)))])
            }
            target = s
        } else if let time = LedgerTimestamp(iso8601: t) {
            do { target = try log.read { try $0.sequence(atOrBefore: time) } } catch {
                throw APIError(.internalServerError, "storage", "\(error)")
            }
        } else {
            throw APIError.badRequest(
                "as_of '\(t)' is neither a log sequence nor an ISO 8601 time (e.g. 1200, 2024-05-01 or 2024-05-01T12:00:00Z)")
        }
        do { try ViewRetention.check(target, floor: try ViewRetention.floor(runtime.store)) } catch let e as LedgerError {
            throw APIError(.gone, "version_pruned", e.message)
        } catch { throw APIError(.internalServerError, "storage", "\(error)") }
        if runtime.checkpoint < target {
            guard await runtime.waitUntil(sequence: target, timeout: settings.readYourWritesTimeout) else {
                throw APIError(
                    .serviceUnavailable, "projection_lagging",
                    "the views have reached version \(runtime.checkpoint), not yet \(target); retry shortly")
            }
        }
        return target
    }

    // MARK: - Certification JSONs

    /// The maintained certification JSON `name` as of `sequence`, waiting briefly for it to reach that
    /// version (404 for an unknown name, 503 when it lags).
    package func maintainedResult(_ name: String, asOf sequence: UInt64) async throws(APIError) -> (CertificationJSONRuntime, GoldenResult) {
        guard let maintained = certificationJSONs[name] else {
            throw APIError.notFound(
                "there is no certification-JSON projection '\(name)'; known: \(certificationJSONs.keys.sorted().joined(separator: ", "))")
        }
        if maintained.checkpoint < sequence {
            guard await maintained.waitUntil(sequence: sequence, timeout: settings.readYourWritesTimeout) else {
                throw APIError(
                    .serviceUnavailable, "projection_lagging", "\(maintained.projection) has not reached version \(sequence) yet; retry shortly")
            }
        }
        return (maintained, try storage { try maintained.result(asOf: sequence) })
    }

    // MARK: - Writes

    /// The outcome of an accepted write.
    public struct WriteOutcome: Sendable {
        /// The append result; nil when the commands changed nothing.
        public var result: AppendResult?
        /// The event types appended, in order.
        public var eventTypes: [String]
        /// The log sequence a reader should ask for to see this write.
        public var sequence: UInt64
        /// The stream's version after the write.
        public var streamVersion: UInt64
    }

    /// Decides and appends `commands` as one atomic batch on behalf of `identity`.
    ///
    /// With `expectedVersion`, the first command's stream must be at that version (else 409 with the
    /// current one). Without it, a concurrent change to the same streams is retried on fresh state.
    /// A repeated idempotency key appends nothing and answers the original sequences.
    package func perform(
        _ commands: [CertificationCommand], actor: String, reason: String?, expectedVersion: UInt64?,
        idempotencyKey: String?
    ) async throws(APIError) -> WriteOutcome {
        guard let stream = commands.first?.stream.id else { throw APIError.badRequest("no command to perform") }
        if let key = idempotencyKey {
            guard !key.isEmpty, key.utf8.count <= BatchLimits.maximumIdempotencyKeyBytes else {
                throw .badRequest("the Idempotency-Key header must have 1 to \(BatchLimits.maximumIdempotencyKeyBytes) bytes")
            }
            if let record = try storage({ try log.read { try $0.idempotencyRecord(key) } }) {
                metrics.recordWrite(events: 0, duplicate: true)
                let last = record.firstSequence + record.count - 1
                return WriteOutcome(
                    result: AppendResult(firstSequence: record.firstSequence, lastSequence: last, streamVersions: [:], wasDuplicate: true),
                    eventTypes: [], sequence: last, streamVersion: try currentVersion(stream))
            }
        }
        let attempts = expectedVersion == nil ? 8 : 1
        for attempt in 1...attempts {
            var session = CommandSession(
                log: log, context: CommandContext(actor: actor, actorKind: .human, time: LedgerTimestamp.now()))
            session.checksComponentsAgainstCatalogue = true
            if let expected = expectedVersion {
                let current = try currentVersion(stream)
                guard current == expected else { throw Self.conflict(stream, expected: expected, current: current) }
            }
            var types: [String] = []
            do {
                for command in commands {
                    types += try session.execute(command).map(\.typeName)
                }
            } catch let error as CertificationError {
                throw Self.translate(error)
            } catch {
                throw APIError(.internalServerError, "internal", "\(error)")
            }
            guard !session.pending.isEmpty else {
                let sequence = try storage { try log.head().sequence }
                return WriteOutcome(result: nil, eventTypes: [], sequence: sequence, streamVersion: try currentVersion(stream))
            }
            do {
                let result = try await session.commit(
                    reason: reason ?? "", idempotencyKey: idempotencyKey, correlationID: UUID())
                metrics.recordWrite(events: types.count, duplicate: result?.wasDuplicate ?? false)
                let sequence = result?.lastSequence ?? 0
                return WriteOutcome(
                    result: result, eventTypes: types, sequence: sequence,
                    streamVersion: try result?.streamVersions[stream] ?? currentVersion(stream))
            } catch let error as LedgerError where error.code == .conflict {
                if attempt == attempts {
                    let current = (try? currentVersion(stream)) ?? 0
                    throw Self.conflict(error.conflict?.stream ?? stream, expected: expectedVersion, current: current, error.message)
                }
                continue
            } catch let error as LedgerError {
                throw Self.translate(error)
            } catch {
                throw APIError(.internalServerError, "internal", "\(error)")
            }
        }
        throw APIError(.internalServerError, "internal", "write retries exhausted")
    }

    /// The current version of a stream.
    package func currentVersion(_ stream: String) throws(APIError) -> UInt64 {
        try storage { try log.read { try $0.streamVersion(stream) } }
    }

    /// Runs a storage call, turning its failure into a 500 (or the ledger error's own status).
    package func storage<T>(_ body: () throws -> T) throws(APIError) -> T {
        do { return try body() } catch let e as LedgerError { throw Self.translate(e) } catch {
            throw APIError(.internalServerError, "storage", "\(error)")
        }
    }

    static func conflict(_ stream: String, expected: UInt64?, current: UInt64, _ detail: String? = nil) -> APIError {
        let message =
            detail
            ?? "stream \(stream) is at version \(current), not at the expected version \(expected.map(String.init) ?? "?"); reload and retry"
        return APIError(
            .conflict, "conflict", message,
            extra: [("stream", .string(stream)), ("current_version", .number(Double(current)))]
                + (expected.map { [("expected_version", JSONValue.number(Double($0)))] } ?? []))
    }

    /// The HTTP form of a domain rejection.
    static func translate(_ error: CertificationError) -> APIError {
        switch error.code {
        case .notFound: return APIError(.notFound, "not_found", error.message)
        case .alreadyExists: return APIError(.conflict, "already_exists", error.message)
        case .unknownEventType, .unsupportedSchemaVersion, .malformedPayload:
            return APIError(.internalServerError, error.code.rawValue, error.message)
        default:
            return APIError(.unprocessableContent, Self.snake(error.code.rawValue), error.message)
        }
    }

    /// The HTTP form of a ledger error.
    static func translate(_ error: LedgerError) -> APIError {
        switch error.code {
        case .conflict: return APIError(.conflict, "conflict", error.message)
        case .invalidBatch: return APIError(.unprocessableContent, "invalid_batch", error.message)
        case .idempotencyKeyReused: return APIError(.unprocessableContent, "idempotency_key_reused", error.message)
        case .notFound: return APIError(.notFound, "not_found", error.message)
        case .closed: return APIError(.serviceUnavailable, "closed", error.message)
        case .corruption, .storage: return APIError(.internalServerError, error.code.rawValue, error.message)
        }
    }

    /// `invalidArgument` → `invalid_argument`.
    static func snake(_ camel: String) -> String {
        var out = ""
        for c in camel {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}

/// Settings of the server that the handlers need.
public struct ServerSettings: Sendable {
    /// The largest request body accepted, in bytes (larger bodies get 413).
    public var maxBodyBytes: Int = 8 << 20
    /// How long a read waits for the projection to reach the version it asks for.
    public var readYourWritesTimeout: Duration = .seconds(5)
    /// The folder of certification-JSON definitions (`projections/`).
    public var projectionsDirectory: String = "projections"
    /// The largest page a list route answers.
    public var maxPageSize: Int = 10_000

    /// Creates default settings.
    public init() {}
}
