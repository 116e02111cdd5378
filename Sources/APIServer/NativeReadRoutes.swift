import Projections
import LedgerStorage
import HTTPTypes
import Certification
import CertificationJSON
import CertificationService
import Foundation
import GoldenJSON
import GoldenService
package import Hummingbird
package import LedgerCore
import ProjectionViews
import Rules

/// Query-string helpers with 400 answers that name the parameter.
extension Request {
    /// A query parameter, nil when absent or empty.
    package func query(_ name: String) -> String? {
        uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An integer query parameter (400 naming it when it is not one, or outside `range`).
    package func queryInt(_ name: String, default value: Int? = nil, range: ClosedRange<Int>? = nil) throws(APIError) -> Int? {
        guard let text = query(name) else { return value }
        guard let v = Int(text) else { throw .badRequest("query parameter \(name)='\(text)' must be an integer") }
        if let range, !range.contains(v) {
            throw .badRequest("query parameter \(name)=\(v) must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return v
    }

    /// An ISO 8601 time query parameter (400 naming it when it is not one).
    package func queryTime(_ name: String) throws(APIError) -> LedgerTimestamp? {
        guard let text = query(name) else { return nil }
        guard let time = LedgerTimestamp(iso8601: text) else {
            throw .badRequest("query parameter \(name)='\(text)' is not an ISO 8601 time (e.g. 2024-05-01T12:00:00Z)")
        }
        return time
    }

    func requireQuery(_ name: String) throws(APIError) -> String {
        guard let v = query(name) else { throw .badRequest("query parameter \(name) is required") }
        return v
    }

    func queryBool(_ name: String) throws(APIError) -> Bool? {
        guard let text = query(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw .badRequest("query parameter \(name)='\(text)' must be true or false")
        }
    }
}

extension APIRequestContext {
    /// The `{run}` path parameter as a positive run number (400 otherwise).
    package func runNumber() throws(APIError) -> Int {
        guard let text = parameters.get("run"), let run = Int(text), run > 0 else {
            throw .badRequest("the run number in the path must be a positive integer, not '\(parameters.get("run") ?? "")'")
        }
        return run
    }
}

/// The native read routes: runs, datasets, ranges, summaries, passes, golden JSON, history and audit.
struct NativeReadRoutes {
    let api: LedgerAPI

    /// An answer that carries the version it was computed at, as a field and as a header.
    static func answer(_ sequence: UInt64, _ fields: [(String, JSONValue)]) -> Response {
        JSONResponses.bytes(body(sequence, fields), sequence: sequence)
    }

    /// The body of ``answer(_:_:)``.
    static func body(_ sequence: UInt64, _ fields: [(String, JSONValue)]) -> [UInt8] {
        var o = JSONObject()
        o["sequence"] = .number(Double(sequence))
        for (k, v) in fields { o[k] = v }
        return JSONValue.object(o).serializedBytes()
    }

    /// A versioned answer served from the answer cache when this URI was answered at this version before.
    ///
    /// Only for reads whose answer depends on nothing but the URI and the version (not on the caller).
    func cached(
        _ request: Request, _ sequence: UInt64, _ fields: () throws -> [(String, JSONValue)]
    ) throws -> Response {
        let buffer = try api.answers.answer(request.uri.description, sequence) { Self.body(sequence, try fields()) }
        return JSONResponses.buffer(buffer, sequence: sequence)
    }

    func register(on router: Router<APIRequestContext>) {
        let api = self.api
        router.get("/v1/version") { _, _ in
            let head = try api.storage { try api.log.head() }
            return Self.answer(
                head.sequence,
                [("head_hash", .string(head.link.hex)), ("views_checkpoint", .number(Double(api.runtime.checkpoint)))])
        }
        router.get("/v1/runs") { request, _ in try await listRuns(request) }
        router.get("/v1/runs/{run}") { request, context in
            let sequence = try await api.resolveVersion(request)
            let run = try context.runNumber()
            return try cached(request, sequence) {
                guard let view = try api.storage({ try api.queries.run(run, asOf: sequence) }) else {
                    throw APIError.notFound("run \(run) does not exist at version \(sequence)")
                }
                return [("run", ViewJSON.run(view))]
            }
        }
        router.get("/v1/runs/{run}/datasets") { request, context in
            let sequence = try await api.resolveVersion(request)
            let run = try context.runNumber()
            guard let view = try api.storage({ try api.queries.run(run, asOf: sequence) }) else {
                throw APIError.notFound("run \(run) does not exist at version \(sequence)")
            }
            let datasets = try api.storage {
                try view.datasets.compactMap { try api.queries.dataset(DatasetKey(run: run, name: $0), asOf: sequence) }
            }
            return Self.answer(sequence, [("datasets", .array(datasets.map(ViewJSON.dataset)))])
        }
        router.get("/v1/datasets") { request, _ in try await listDatasets(request) }
        router.get("/v1/runs/{run}/dataset") { request, context in
            let sequence = try await api.resolveVersion(request)
            let key = DatasetKey(run: try context.runNumber(), name: try request.requireQuery("name"))
            let view = try requireDataset(key, sequence)
            return Self.answer(sequence, [("dataset", ViewJSON.dataset(view))])
        }
        router.get("/v1/runs/{run}/summary") { request, context in
            let sequence = try await api.resolveVersion(request)
            let key = DatasetKey(run: try context.runNumber(), name: request.query("dataset") ?? DatasetKey.onlineName)
            _ = try requireDataset(key, sequence)
            guard let summary = try api.storage({ try api.queries.summary(key, asOf: sequence) }) else {
                throw APIError.notFound("\(key) has no summary at version \(sequence)")
            }
            return Self.answer(sequence, [("summary", ViewJSON.summary(summary))])
        }
        router.get("/v1/runs/{run}/ranges") { request, context in try await ranges(request, context) }
        router.get("/v1/runs/{run}/oms") { request, context in try await oms(request, context) }
        router.get("/v1/passes") { request, _ in
            let sequence = try await api.resolveVersion(request)
            let pass = try request.requireQuery("pass")
            let workspace = request.query("workspace") ?? "global"
            guard let view = try api.storage({ try api.queries.pass(pass, workspace: workspace, asOf: sequence) }) else {
                throw APIError.notFound("processing pass '\(pass)' has no view for workspace '\(workspace)' at version \(sequence)")
            }
            return Self.answer(sequence, [("pass", ViewJSON.pass(view))])
        }
        router.get("/v1/golden") { request, _ in
            let name = try request.requireQuery("projection")
            let sequence = try await api.resolveVersion(request)
            let started = ContinuousClock.now
            let (maintained, result) = try await api.maintainedResult(name, asOf: sequence)
            return try goldenAnswer(
                request, result, rule: maintained.definition.rule, name: name, filter: maintained.definition.filterText,
                source: "projection \(maintained.projection)", elapsed: ContinuousClock.now - started)
        }
        router.post("/v1/golden") { request, _ in
            let body = try await api.readBody(request)
            let rule = body.object["rule"] ?? .null
            let definition = try AdHocCertificationRule.compile(
                name: "ad hoc", rule: rule, filter: try body.string("dataset_filter"))
            let sequence = try await api.resolveVersion(request)
            let started = ContinuousClock.now
            let result = try api.storage {
                try GoldenGenerator(queries: api.queries).generate(rule: definition.rule, filter: definition.filter, asOf: sequence)
            }
            return try goldenAnswer(
                request, result, rule: definition.rule, name: definition.name, filter: definition.filter.pattern,
                source: "on demand", elapsed: ContinuousClock.now - started)
        }
        router.get("/v1/streams/events") { request, _ in
            let stream = try request.requireQuery("stream")
            let from = try request.queryInt("from_version", default: 1, range: 1...Int.max)!
            let limit = try request.queryInt("limit", default: 1000, range: 1...10_000)!
            let (events, head) = try api.storage {
                try api.log.read { s in (try s.streamEvents(stream, fromVersion: UInt64(from), limit: limit), try s.head.sequence) }
            }
            return Self.answer(head, [("stream", .string(stream)), ("events", .array(events.map(EventJSON.event)))])
        }
    }

    func requireDataset(_ key: DatasetKey, _ sequence: UInt64) throws(APIError) -> DatasetView {
        guard let view = try api.storage({ try api.queries.dataset(key, asOf: sequence) }) else {
            throw APIError.notFound("\(key) does not exist at version \(sequence)")
        }
        return view
    }

    func listRuns(_ request: Request) async throws -> Response {
        let sequence = try await api.resolveVersion(request)
        let from = try request.queryInt("from")
        let to = try request.queryInt("to")
        let runClass = request.query("class")
        let state = request.query("state").map { $0.uppercased() }
        let significant = try request.queryBool("significant")
        let limit = try request.queryInt("limit", default: 100, range: 1...api.settings.maxPageSize)!
        let offset = try request.queryInt("offset", default: 0, range: 0...Int.max)!
        let runs = try api.storage { try api.queries.runs(asOf: sequence) }.filter { r in
            (from.map { r.run >= $0 } ?? true) && (to.map { r.run <= $0 } ?? true)
                && (runClass.map { r.runClass == $0 } ?? true) && (state.map { r.state.rawValue == $0 } ?? true)
                && (significant.map { r.significant == $0 } ?? true)
        }
        let page = runs.reversed().dropFirst(offset).prefix(limit)
        return Self.answer(
            sequence,
            [("count", .number(Double(runs.count))), ("offset", .number(Double(offset))), ("runs", .array(page.map(ViewJSON.run)))])
    }

    func listDatasets(_ request: Request) async throws -> Response {
        let sequence = try await api.resolveVersion(request)
        let run = try request.queryInt("run")
        let filter: DatasetNameFilter?
        do { filter = try request.query("name").map { try DatasetNameFilter($0) } } catch {
            throw APIError.badRequest("query parameter name: \(error)")
        }
        let pass = request.query("pass")
        let limit = try request.queryInt("limit", default: 100, range: 1...api.settings.maxPageSize)!
        let offset = try request.queryInt("offset", default: 0, range: 0...Int.max)!
        let datasets = try api.storage { try api.queries.datasets(asOf: sequence) }.filter { d in
            (run.map { d.run == $0 } ?? true) && (filter.map { $0.matches(d.name) } ?? true) && (pass.map { d.passKey == $0 } ?? true)
        }
        let page = datasets.dropFirst(offset).prefix(limit)
        return Self.answer(
            sequence,
            [
                ("count", .number(Double(datasets.count))), ("offset", .number(Double(offset))),
                ("datasets", .array(page.map(ViewJSON.dataset))),
            ])
    }

    func ranges(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let sequence = try await api.resolveVersion(request)
        let key = DatasetKey(run: try context.runNumber(), name: request.query("dataset") ?? DatasetKey.onlineName)
        let perLS = try request.queryBool("per_ls") ?? false
        let component = request.query("component")
        return try cached(request, sequence) {
            // One snapshot of the views for the whole answer.
            let (exists, count, flags) = try api.storage {
                try api.queries.read(asOf: sequence) { r -> (Bool, Int?, [String: FlagRangesView]) in
                    guard try r.dataset(key) != nil else { return (false, nil, [:]) }
                    let count = try r.run(key.run)?.lumisectionCount
                    if let component { return (true, count, [component: try r.flags(key, component: component) ?? FlagRangesView()]) }
                    return (true, count, try r.allFlags(key))
                }
            }
            guard exists else { throw APIError.notFound("\(key) does not exist at version \(sequence)") }
            var components = JSONObject()
            for name in flags.keys.sorted() {
                let view = flags[name]!
                components[name] = perLS ? .array(ViewJSON.perLumisection(view, count: count)) : .array(ViewJSON.ranges(view))
            }
            return [
                ("run_number", .number(Double(key.run))), ("dataset", .string(key.name)),
                ("lumisection_count", count.map { .number(Double($0)) } ?? .null), ("components", .object(components)),
            ]
        }
    }

    func oms(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let sequence = try await api.resolveVersion(request)
        let run = try context.runNumber()
        let (bits, luminosity, count) = try api.storage {
            try api.queries.read(asOf: sequence) { r in
                (try r.allOMSBits(run: run), try r.luminosity(run: run), try r.run(run)?.lumisectionCount)
            }
        }
        guard try api.storage({ try api.queries.run(run, asOf: sequence) }) != nil else {
            throw APIError.notFound("run \(run) does not exist at version \(sequence)")
        }
        _ = count
        var o = JSONObject()
        for name in bits.keys.sorted() { o[name] = .array(ViewJSON.bitRanges(bits[name]!)) }
        var fields: [(String, JSONValue)] = [("run_number", .number(Double(run))), ("bits", .object(o))]
        if let luminosity {
            fields.append(("recorded_sum", .number(luminosity.recordedSum)))
            fields.append(("delivered_sum", .number(luminosity.deliveredSum)))
            if try request.queryBool("per_ls") == true {
                fields.append(("recorded", .array(luminosity.recorded.map { .number($0) })))
                fields.append(("delivered", .array(luminosity.delivered.map { .number($0) })))
            }
        }
        return Self.answer(sequence, fields)
    }

    func goldenAnswer(
        _ request: Request, _ result: GoldenResult, rule: CompiledRule, name: String, filter: String, source: String,
        elapsed: Duration
    ) throws -> Response {
        let sequence = result.sequence
        let format = request.query("format") ?? "metadata"
        switch format {
        case "json":
            return JSONResponses.bytes(result.certified.canonicalBytes, sequence: sequence)
        case "anti":
            return JSONResponses.bytes(result.rejected.canonicalBytes, sequence: sequence)
        case "metadata":
            break
        default:
            throw APIError.badRequest("query parameter format='\(format)' must be metadata, json or anti")
        }
        let json = try JSONValue.parse(result.certified.canonicalBytes)
        let anti = try JSONValue.parse(result.rejected.canonicalBytes)
        let clauses = rule.clauses.enumerated().map { i, clause -> JSONValue in
            [
                "clause": clause.source,
                "false_recorded": i < result.clauseFalseRecorded.count ? .number(result.clauseFalseRecorded[i]) : .null,
                "alone_recorded": i < result.clauseAloneRecorded.count ? .number(result.clauseAloneRecorded[i]) : .null,
            ]
        }
        return Self.answer(
            sequence,
            [
                ("chain_hash", .string(result.link.hex)), ("definition", .string(name)), ("source", .string(source)),
                ("dataset_filter", .string(filter)), ("datasets", .number(Double(result.datasets.count))),
                ("json", json), ("anti_json", anti),
                ("recorded_in", .number(result.recordedIn)), ("recorded_lost", .number(result.recordedLost)),
                ("delivered_in", .number(result.deliveredIn)), ("delivered_lost", .number(result.deliveredLost)),
                ("rules_flagged_false", .array(clauses)),
                ("milliseconds", .number(Double(elapsed.components.attoseconds / 1_000_000_000_000) + Double(elapsed.components.seconds) * 1000)),
            ])
    }
}
