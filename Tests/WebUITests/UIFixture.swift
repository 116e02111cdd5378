import APIServer
import Access
import Certification
import CertificationService
import DemoLedgerTestSupport
import Foundation
import GoldenService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerStorage
import Logging
import Projections
import Testing
import WebUI

/// A server with the web UI over its own copy of the `small` demo workload, the demo permissions and
/// the dev loopback identities.
struct UIFixture {
    let directory: String
    let log: EventLog
    let api: LedgerAPI

    static func make(readsOpen: Bool = true) async throws -> UIFixture {
        let directory = try DemoLedgerTemplate.copy(prefix: "runledger-ui")
        let log = try EventLog.open(directory: directory)
        let runtime = try ProjectionRuntime(log: log, store: try ViewStore.open(directory: directory + "/views"))
        _ = try runtime.catchUp()
        let maintained = try DefinitionDirectory.loadAll(from: DemoLedgerTemplate.repositoryRoot + "/projections").map {
            try CertificationJSONRuntime(definition: $0, base: runtime)
        }
        for m in maintained { _ = try m.catchUp() }
        var base = AccessConfiguration()
        base.readsOpen = readsOpen
        let configuration = DemoAccess.configuration(from: base, bindHost: "127.0.0.1")
        let resolver = try await IdentityResolver(configuration: configuration, bindHost: "127.0.0.1")
        let api = LedgerAPI(
            log: log, runtime: runtime, certificationJSONs: maintained, settings: ServerSettings(),
            access: AccessGate(resolver: resolver, log: log, bindHost: "127.0.0.1"))
        return UIFixture(directory: directory, log: log, api: api)
    }

    /// Runs `body` against the live server with the UI, then closes the log and removes the directory.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let ui = try await WebUI(api: api)
        let router = RunLedgerServer.router(api: api) { ui.register(on: $0) }
        let app = RunLedgerServer.application(api: api, router: router, host: "127.0.0.1", port: 0, logger: logger)
        defer {
            log.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        try await app.test(.live) { client in try await body(client) }
    }

    var head: UInt64 { (try? log.head().sequence) ?? 0 }
}

/// A browser's state in a test: its cookies, sent back on every request.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// The `email` header of the dev loopback identity, when set.
    var email: String?
    /// Headers sent with every request (e.g. `Origin`, `Sec-Fetch-Site`, `Host`).
    var extraHeaders: [String: String] = [:]

    init(_ client: any TestClientProtocol, as email: String? = nil) {
        self.client = client
        self.email = email
    }

    @discardableResult
    func get(_ uri: String) async throws -> TestResponse {
        try await send(.get, uri, body: nil)
    }

    @discardableResult
    func post(_ uri: String, form: [(String, String)]) async throws -> TestResponse {
        let text = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.1)" }
            .joined(separator: "&")
        return try await send(.post, uri, body: text)
    }

    var csrf: String { cookies["runledger_csrf"] ?? "" }

    func send(_ method: HTTPRequest.Method, _ uri: String, body: String?) async throws -> TestResponse {
        var headers = HTTPFields()
        if let email { headers[HTTPField.Name("email")!] = email }
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        for (name, value) in extraHeaders { headers[HTTPField.Name(name)!] = value }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
        }
        return response
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The values of `attribute` on every element that has it, in document order.
    func values(of attribute: String) -> [String] {
        let text = self.text
        var out: [String] = []
        var rest = text[...]
        while let r = rest.range(of: " \(attribute)=\"") {
            let after = rest[r.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            out.append(String(after[..<end]))
            rest = after[end...]
        }
        return out
    }
}
