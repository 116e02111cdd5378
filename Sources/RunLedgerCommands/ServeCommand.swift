import APIServer
import Access
import ArgumentParser
import Certification
import CertificationService
import Foundation
import GoldenJSON
import GoldenService
import Hummingbird
import LedgerCore
import LedgerStorage
import Logging
import Projections
import Rules
import WebUI

/// `runledger serve`: the HTTP server with the projection workers in the same process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the native API and the Run Registry-compatible routes, with the projection workers.",
        discussion: """
            The config file (JSON) may set "host", "port", "max_body_bytes", "projections" and the
            "access" section (reads_open, jwt, trusted_proxy, dev_loopback_identity); see design/api.md.
            Command-line options win over the file. --demo loads the `small` reference workload into an
            empty data directory, adds the demo permissions, and on a loopback bind turns on the dev
            identity that the runregistry client's local mode uses (`email: api@api`).
            SIGINT or SIGTERM shut down gracefully: stop accepting, drain the workers, close the log.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "The address to bind (default 127.0.0.1).")
    var host: String?

    @Option(help: "The port (default 9500; 0 picks a free port, printed on start).")
    var port: Int?

    @Option(help: "A JSON config file.")
    var config: String?

    @Option(help: "The folder of certification-JSON definitions.")
    var projections: String?

    @ArgumentParser.Flag(help: "Seed an empty data directory with the small demo workload and the demo permissions.")
    var demo = false

    func run() async throws {
        let file = try ServerConfigFile.load(config)
        let host = self.host ?? file.host ?? "127.0.0.1"
        let port = self.port ?? file.port ?? 9500
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not between 0 and 65535") }
        var accessConfiguration = file.access
        if demo { accessConfiguration = DemoAccess.configuration(from: accessConfiguration, bindHost: host) }
        var logger = Logger(label: "runledger")
        logger.logLevel = .info

        try FileManager.default.createDirectory(atPath: dataOptions.data, withIntermediateDirectories: true)
        let log = try EventLog.open(directory: dataOptions.data)
        defer { log.close() }
        if demo { try await seedDemo(log) }
        let store = try ViewStore.open(directory: dataOptions.data + "/views")
        let runtime = try ProjectionRuntime(log: log, store: store)
        let projectionsDirectory = projections ?? file.projections ?? "projections"
        let definitions: [CertificationJSONDefinition]
        do { definitions = try DefinitionDirectory.loadAll(from: projectionsDirectory) } catch {
            throw CommandFailure(message: "\(error)", exitCode: 2)
        }
        let certificationJSONs = try definitions.map { try CertificationJSONRuntime(definition: $0, base: runtime) }
        do {
            _ = try runtime.catchUp { done, total in Console.progress("projections: views \(done)/\(total)") }
            for maintained in certificationJSONs {
                _ = try maintained.catchUp { done, total in Console.progress("projections: \(maintained.definition.name) \(done)/\(total)") }
            }
            Console.endProgress()
        } catch let failure as ProjectionRuntime.Failure {
            Console.endProgress()
            Console.err("runledger serve: a projection stopped at \(failure); /health reports it")
        }
        let resolver: IdentityResolver
        do { resolver = try await IdentityResolver(configuration: accessConfiguration, bindHost: host) } catch {
            throw CommandFailure(message: "the access configuration is refused: \(error.message)", exitCode: 2)
        }
        var settings = ServerSettings()
        if let max = file.maxBodyBytes { settings.maxBodyBytes = max }
        settings.projectionsDirectory = projectionsDirectory
        let api = LedgerAPI(
            log: log, runtime: runtime, certificationJSONs: certificationJSONs, settings: settings, access: AccessGate(resolver: resolver, log: log, bindHost: host))
        let ui = try await WebUI(api: api)
        let router = RunLedgerServer.router(api: api) { ui.register(on: $0) }
        let app = RunLedgerServer.application(api: api, router: router, host: host, port: port, logger: logger) { actualPort in
            Console.out(
                "runledger serve: listening on http://\(host):\(actualPort) (web UI at /ui/; data \(dataOptions.data), head \((try? log.head().sequence) ?? 0))")
        }
        try await app.runService()
        Console.out("runledger serve: stopped")
    }

    /// Loads the small workload into an empty log, and the demo permissions when none are configured.
    func seedDemo(_ log: EventLog) async throws {
        if try log.head().sequence == 0 {
            Console.out("runledger serve --demo: generating the small workload into \(dataOptions.data)…")
            let summary = try WorkloadGenerator(profile: .small, seed: 1).generate(into: log) { _, _ in }
            Console.out("runledger serve --demo: \(summary.runs) runs, \(summary.events) events")
        }
        try await appendDemoPermissions(to: log, reason: "demo permissions for serve --demo")
    }
}

/// Appends the demo permissions (``DemoAccess``) as configuration events when no permission is configured yet.
func appendDemoPermissions(to log: EventLog, reason: String) async throws {
    guard try log.read({ try $0.streamVersion(StreamName.config(.permissions).id) }) == 0 else { return }
    let now = LedgerTimestamp(microseconds: Int64(Date().timeIntervalSince1970 * 1e6))
    var session = CommandSession(log: log, context: CommandContext(actor: "runledger-demo", actorKind: .human, time: now))
    for command in DemoAccess.commands { try session.execute(command) }
    try await session.commit(reason: reason)
}

/// The server's JSON config file.
struct ServerConfigFile {
    var host: String?
    var port: Int?
    var maxBodyBytes: Int?
    var projections: String?
    var access = AccessConfiguration()

    static func load(_ path: String?) throws -> ServerConfigFile {
        guard let path else { return ServerConfigFile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(message: "cannot read the config file '\(path)'", exitCode: 2)
        }
        let value: JSONValue
        do { value = try JSONValue.parse(Array(data)) } catch {
            throw CommandFailure(message: "\(path): \(error)", exitCode: 2)
        }
        guard case .object(let o) = value else { throw CommandFailure(message: "\(path): the config must be a JSON object", exitCode: 2) }
        let known: Set<String> = ["host", "port", "max_body_bytes", "projections", "access"]
        for key in o.keys where !known.contains(key) {
            throw CommandFailure(message: "\(path): unknown setting '\(key)'; known: \(known.sorted().joined(separator: ", "))", exitCode: 2)
        }
        var file = ServerConfigFile()
        file.host = o["host"]?.stringValue
        file.port = o["port"]?.numberValue.map { Int($0) }
        file.maxBodyBytes = o["max_body_bytes"]?.numberValue.map { Int($0) }
        file.projections = o["projections"]?.stringValue
        if let access = o["access"] {
            do { file.access = try AccessConfiguration.decode(json: access.serializedBytes()) } catch {
                throw CommandFailure(message: "\(path): \(error.message)", exitCode: 2)
            }
        }
        return file
    }
}
