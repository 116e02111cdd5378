import HTTPTypes
import LedgerStorage
import APIServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Rules
import Testing

@Suite("Bad input")
struct BadInputTests {
    /// One malformed request and the answer it must get.
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var path: String
        var body: [UInt8]
        var status: HTTPResponse.Status
        var messageContains: String
        var description: String { name }
    }

    static func cases(run: Int) -> [Case] {
        func c(_ name: String, _ path: String, _ json: String, _ status: HTTPResponse.Status, _ text: String) -> Case {
            Case(name: name, path: path, body: Array(json.utf8), status: status, messageContains: text)
        }
        let flags = "/v1/datasets/\(run)/set-flags"
        var out = [
            c("malformed JSON", flags, #"{"dataset": "online", "#, .badRequest, "not valid JSON"),
            c("not an object", flags, "[1,2,3]", .badRequest, "must be a JSON object"),
            c("wrong type", flags, #"{"dataset":"online","component":"cms-cms","start":"one","end":2,"status":"GOOD"}"#, .badRequest, "body.start must be an integer"),
            c("missing field", flags, #"{"dataset":"online","start":1,"end":2,"status":"GOOD"}"#, .badRequest, "body.component is required"),
            c("huge number", flags, #"{"dataset":"online","component":"cms-cms","start":1,"end":1e300,"status":"GOOD"}"#, .badRequest, "whole number"),
            c("fraction", flags, #"{"dataset":"online","component":"cms-cms","start":1.5,"end":2,"status":"GOOD"}"#, .badRequest, "whole number"),
            c("negative range", flags, #"{"dataset":"online","component":"cms-cms","start":-5,"end":-1,"status":"GOOD"}"#, .unprocessableContent, ""),
            c("reversed range", flags, #"{"dataset":"online","component":"cms-cms","start":9,"end":3,"status":"GOOD"}"#, .unprocessableContent, ""),
            c("unknown status", flags, #"{"dataset":"online","component":"cms-cms","start":1,"end":2,"status":"SHINY"}"#, .unprocessableContent, "GOOD, BAD"),
            c("unknown component", flags, #"{"dataset":"online","component":"warp-core","start":1,"end":2,"status":"GOOD"}"#, .unprocessableContent, "warp-core"),
            c("unknown run", "/v1/datasets/999999999/set-flags", #"{"dataset":"online","component":"cms-cms","start":1,"end":2,"status":"GOOD"}"#, .notFound, "999999999"),
            c("unknown command", "/v1/runs/\(run)/launch", "{}", .notFound, "move-state"),
            c("bad state move", "/v1/runs/\(run)/move-state", #"{"to":"FINISHED"}"#, .unprocessableContent, "OPEN, SIGNOFF, COMPLETED"),
            c("bad expected version", "/v1/runs/\(run)/add-comment", #"{"comment":"x","expected_version":-3}"#, .badRequest, "expected_version"),
        ]
        out.append(
            Case(
                name: "invalid UTF-8", path: flags,
                body: Array(#"{"dataset":"online","component":"cms-"#.utf8) + [0xC3, 0x28] + Array(#"","start":1,"end":2,"status":"GOOD"}"#.utf8),
                status: .badRequest, messageContains: "UTF-8"))
        out.append(
            Case(
                name: "deeply nested JSON", path: flags, body: Array((String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)).utf8),
                status: .badRequest, messageContains: "not valid JSON"))
        out.append(
            Case(
                name: "10 MB body", path: flags,
                body: Array((#"{"dataset":"online","comment":""# + String(repeating: "x", count: 10 << 20) + #""}"#).utf8),
                status: .contentTooLarge, messageContains: "larger than"))
        return out
    }

    @Test func malformedRequestsGetClearErrorsAndAppendNothing() async throws {
        let fixture = try await ServerFixture.make()
        let head = fixture.head
        try await fixture.test { client in
            let runs = try await client.call(.get, "/v1/runs?state=OPEN&limit=1").json["runs"]?.arrayValue ?? []
            let run = Int(try #require(runs.first?["run_number"]?.numberValue))
            for c in Self.cases(run: run) {
                let answer = try await client.call(
                    .post, c.path, bytes: c.body, as: "expert@demo", headers: ["egroups": "cms-dqm-runregistry-experts"])
                #expect(answer.status == c.status, "\(c.name): \(answer.status) \(answer.text.prefix(300))")
                let message = answer.json["message"]?.stringValue ?? ""
                #expect(answer.json["error"] != nil, "\(c.name): the answer is JSON with an error code")
                if !c.messageContains.isEmpty {
                    #expect(message.contains(c.messageContains), "\(c.name): \(message)")
                }
                #expect(fixture.head == head, "\(c.name) appended")
            }
        }
    }
}

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// The (method, path) pairs of design/openapi.yaml.
    static func documentedRoutes() throws -> Set<String> {
        let text = try String(contentsOfFile: ServerFixture.repositoryRoot + "/design/openapi.yaml", encoding: .utf8)
        var out = Set<String>()
        var inPaths = false
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                current = String(line.dropFirst(2).dropLast())
            } else if let path = current, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(String(method)) {
                    out.insert("\(method.uppercased()) \(path)")
                }
            }
        }
        return out
    }

    @Test func everyRegisteredRouteIsDocumentedAndViceVersa() async throws {
        let fixture = try await ServerFixture.make()
        defer {
            fixture.log.close()
            try? FileManager.default.removeItem(atPath: fixture.directory)
        }
        let router = RunLedgerServer.router(api: fixture.api)
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let documented = try Self.documentedRoutes()
        #expect(registered.count > 40)
        #expect(registered.subtracting(documented).sorted() == [], "registered but not documented")
        #expect(documented.subtracting(registered).sorted() == [], "documented but not registered")
    }
}
