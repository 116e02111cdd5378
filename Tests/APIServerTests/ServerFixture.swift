import HTTPTypes
import LedgerStorage
import APIServer
import Access
import Certification
import CertificationService
import DemoLedgerTestSupport
import Foundation
import GoldenService
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerStorage
import Logging
import Projections
import Rules
import Testing

/// A server over its own copy of the `small` demo workload, with the demo permissions and the dev loopback identity.
struct ServerFixture {
    let directory: String
    let log: EventLog
    let api: LedgerAPI

    static func make(access: AccessConfiguration? = nil) async throws -> ServerFixture {
        let directory = try DemoLedgerTemplate.copy(prefix: "runledger-api")
        let log = try EventLog.open(directory: directory)
        let store = try ViewStore.open(directory: directory + "/views")
        let runtime = try ProjectionRuntime(log: log, store: store)
        _ = try runtime.catchUp()
        let configuration = access ?? DemoAccess.configuration(from: AccessConfiguration(), bindHost: "127.0.0.1")
        let resolver = try await IdentityResolver(configuration: configuration, bindHost: "127.0.0.1")
        var settings = ServerSettings()
        settings.maxBodyBytes = 1 << 20
        settings.projectionsDirectory = Self.repositoryRoot + "/projections"
        let definitions = try DefinitionDirectory.loadAll(from: Self.repositoryRoot + "/projections")
        let maintained = try definitions.map { try CertificationJSONRuntime(definition: $0, base: runtime) }
        for m in maintained { _ = try m.catchUp() }
        let api = LedgerAPI(
            log: log, runtime: runtime, certificationJSONs: maintained, settings: settings, access: AccessGate(resolver: resolver, log: log, bindHost: "127.0.0.1"))
        return ServerFixture(directory: directory, log: log, api: api)
    }

    /// The repository root.
    static var repositoryRoot: String { DemoLedgerTemplate.repositoryRoot }

    /// Runs `body` against the live server, then closes the log and removes the directory.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let app = RunLedgerServer.application(api: api, host: "127.0.0.1", port: 0, logger: logger)
        defer {
            log.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await app.test(.live) { client in try await body(client) }
    }

    var head: UInt64 { (try? log.head().sequence) ?? 0 }
}

/// Request helpers.
extension TestClientProtocol {
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, bytes: [UInt8]? = nil, as email: String? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if let email { headers[HTTPField.Name("email")!] = email }
        for (k, v) in extra { headers[HTTPField.Name(k)!] = v }
        var body: ByteBuffer? = nil
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        } else if let bytes {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: bytes)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }
}

extension TestResponse {
    /// The body parsed as JSON.
    var json: JSONValue { (try? JSONValue.parse(Array(body.readableBytesView))) ?? .null }
    var text: String { String(buffer: body) }
}
