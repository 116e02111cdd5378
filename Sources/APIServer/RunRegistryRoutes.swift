import Projections
import LedgerStorage
import HTTPTypes
import Access
import Certification
import CertificationJSON
import Foundation
import GoldenService
import Hummingbird
import LedgerCore
import ProjectionViews
import Rules
import RunRegistryQuery
import Synchronization

/// The Run Registry v4 routes that the `runregistry` Python client (3.1.2) calls, served from the views.
///
/// Paths and shapes are the Run Registry's (reference §4.4); errors are `{"err": ...}`, e-group
/// denials 401 with the e-group message. Writes go through the same command path as the native API.
struct RunRegistryRoutes {
    let api: LedgerAPI
    /// Generated JSONs of `json_portal/generate`, by id (generation is synchronous, so polling answers 200 at once).
    let portal: JSONPortal

    init(api: LedgerAPI) {
        self.api = api
        self.portal = JSONPortal()
    }

    func register(on router: Router<APIRequestContext>) {
        let api = self.api
        router.post("/runs_filtered_ordered") { request, _ in try await listRuns(request) }
        router.post("/datasets_filtered_ordered") { request, _ in try await listDatasets(request) }
        router.get("/runs/{run}") { _, context in
            let sequence = try await api.resolveVersion(nil as String?)
            let run = try context.runNumber()
            guard let doc = try runDocument(run, sequence) else { return JSONResponses.json(.null) }
            return JSONResponses.json(.object(doc), sequence: sequence)
        }
        router.get("/get_all_dataset_names_of_run/{run}") { _, context in
            let sequence = try await api.resolveVersion(nil as String?)
            let run = try context.runNumber()
            let names = try api.storage { try api.queries.run(run, asOf: sequence)?.datasets } ?? []
            return JSONResponses.json(.array(names.map { .string($0) }), sequence: sequence)
        }
        router.post("/datasets/get_dataset") { request, _ in
            let body = try await api.readBody(request)
            let sequence = try await api.resolveVersion(nil as String?)
            let key = DatasetKey(run: try body.int("run_number"), name: try body.string("dataset_name"))
            guard let doc = try datasetDocument(key, sequence) else { return JSONResponses.json(.null) }
            return JSONResponses.json(.object(doc), sequence: sequence)
        }
        for route in ["rr_lumisections", "oms_lumisections", "rr_lumisection_ranges", "rr_lumisection_ranges_by_component",
            "oms_lumisection_ranges", "joint_lumisection_ranges"]
        {
            router.post("/lumisections/\(route)") { request, _ in try await lumisections(route, request) }
        }
        router.put("/lumisections/edit_rr_lumisections") { request, context in try await editLumisections(request, context) }
        router.post("/json_portal/generate") { request, context in try await portalGenerate(request, context) }
        router.post("/json_portal/json") { request, _ in
            let body = try await api.readBody(request)
            let id = try body.int("id_json")
            switch portal.record(id) {
            case nil: throw APIError(.notFound, "not_found", "there is no generated JSON with id \(id)")
            case .failed(let error)?: throw error
            case .done(let record)?: return JSONResponses.json(["final_json": .object(record)])
            }
        }
        router.get("/cycles/{workspace}") { _, context in try await cycles(context.parameters.get("workspace") ?? "global") }
        router.get("/datasets_accepted") { _, _ in try await datasetsAccepted() }
        router.post("/runs/move_run/{from}/{to}") { request, context in
            let body = try await api.readBody(request)
            let to = context.parameters.get("to") ?? ""
            guard let state = RunState(rawValue: to) else {
                throw APIError.unprocessable(
                    "invalid_state", "The final state must be SIGNOFF, OPEN OR COMPLETED, no other option is valid")
            }
            let run = try body.int("run_number")
            // The client sends no reason; the ledger records one that names the route (backward moves need one).
            let from = context.parameters.get("from") ?? ""
            let reason = try body.optionalString("reason") ?? "runregistry client: runs/move_run/\(from)/\(to)"
            return try await runWrite(request, context, run, .moveState(to: state, reason: reason), reason: reason)
        }
        router.post("/runs/mark_significant") { request, context in
            let body = try await api.readBody(request)
            return try await runWrite(request, context, try body.int("run_number"), .markSignificant) { (view: RunView) throws(APIError) in
                // The Run Registry's own messages, which scripts match on.
                guard view.state == .open else {
                    throw APIError.unprocessable(
                        "run_not_open", "Run must be in state OPEN to be marked significant (run \(view.run) is \(view.state))")
                }
                guard !view.significant else { throw APIError.unprocessable("already_significant", "Run is already significant") }
            }
        }
        router.put("/manual_run_edit/{run}/{attribute}") { request, context in
            let run = try context.runNumber()
            let attribute = context.parameters.get("attribute") ?? ""
            let body = try await api.readBody(request)
            let command: RunCommand
            switch attribute {
            case "class":
                guard let value = try body.optionalString("class") else {
                    throw APIError.unprocessable("invalid_argument", "Requested to change class but no suitable data was supplied")
                }
                command = .setClass(value)
            case "stop_reason":
                guard let value = try body.optionalString("stop_reason") else {
                    throw APIError.unprocessable(
                        "invalid_argument", "Requested to change stop_reason but no suitable data was supplied")
                }
                command = .setStopReason(value)
            default:
                throw APIError.unprocessable("invalid_argument", "the run attribute '\(attribute)' cannot be edited; class and stop_reason can")
            }
            return try await runWrite(request, context, run, command) { (view: RunView) throws(APIError) in
                guard view.state == .open else {
                    throw APIError.unprocessable(
                        "run_not_open", "Run must be in state OPEN to be edited (run \(view.run) is \(view.state))")
                }
            }
        }
        for route in ["refresh_run", "reset_and_refresh_run"] {
            router.post("/runs/\(route)/{run}") { _, context in
                let sequence = try await api.resolveVersion(nil as String?)
                let run = try context.runNumber()
                guard let view = try api.storage({ try api.queries.run(run, asOf: sequence) }) else {
                    throw APIError.notFound("Run not found")
                }
                guard view.state == .open else {
                    throw APIError.unprocessable("run_not_open", "Run must be in state OPEN to be refreshed (run \(run) is \(view.state))")
                }
                return JSONResponses.json(.object(try runDocument(run, sequence)!), sequence: sequence)
            }
        }
        router.post("/datasets/{workspace}/move_dataset/{from}/{to}") { request, context in
            try await moveDataset(request, context)
        }
    }

    // MARK: - Documents

    func runDocument(_ run: Int, _ sequence: UInt64) throws(APIError) -> JSONObject? {
        try api.storage {
            guard let view = try api.queries.run(run, asOf: sequence) else { return nil }
            return RunRegistryDocuments.run(view, online: try api.queries.summary(.online(run: run), asOf: sequence))
        }
    }

    func datasetDocument(_ key: DatasetKey, _ sequence: UInt64) throws(APIError) -> JSONObject? {
        try api.storage {
            guard let view = try api.queries.dataset(key, asOf: sequence) else { return nil }
            return RunRegistryDocuments.dataset(
                view, run: try api.queries.run(key.run, asOf: sequence), summary: try api.queries.summary(key, asOf: sequence))
        }
    }

    /// The run documents at `sequence`, cached per version.
    func allRunDocuments(_ sequence: UInt64) throws(APIError) -> [JSONObject] {
        if let cached = api.documentCache.runs(at: sequence) { return cached }
        let docs = try api.storage {
            try api.queries.runs(asOf: sequence).map { view in
                RunRegistryDocuments.run(view, online: try api.queries.summary(.online(run: view.run), asOf: sequence))
            }
        }
        api.documentCache.store(runs: docs, at: sequence)
        return docs
    }

    /// The dataset documents at `sequence`, cached per version.
    func allDatasetDocuments(_ sequence: UInt64) throws(APIError) -> [JSONObject] {
        if let cached = api.documentCache.datasets(at: sequence) { return cached }
        let docs = try api.storage {
            var runs: [Int: RunView] = [:]
            for r in try api.queries.runs(asOf: sequence) { runs[r.run] = r }
            return try api.queries.datasets(asOf: sequence).map { view in
                RunRegistryDocuments.dataset(view, run: runs[view.run], summary: try api.queries.summary(view.key, asOf: sequence))
            }
        }
        api.documentCache.store(datasets: docs, at: sequence)
        return docs
    }

    static func schemaComponents() -> [String] {
        let c = ComponentCatalogue.cmsDefault
        return Array(Set(c.certifiableOnlineComponents + c.certifiableOfflineComponents + c.offlineComponents)).sorted()
    }

    static let runSchema = QuerySchema.runs(components: schemaComponents())
    static let datasetSchema = QuerySchema.datasets(components: schemaComponents())

    func listRuns(_ request: Request) async throws -> Response {
        let body = try await api.readBody(request)
        let query: ListQuery
        do { query = try ListQuery(body: .object(body.object), schema: Self.runSchema) } catch {
            throw APIError(.badRequest, "invalid_filter", error.message)
        }
        let sequence = try await api.resolveVersion(nil as String?)
        let docs = try allRunDocuments(sequence).map { JSONDocument($0, layout: .runs) }
        let result = query.run(on: docs)
        let out: JSONValue = [
            "runs": .array(result.items.map { .object($0.row) }), "pages": .number(Double(result.pages)),
            "count": .number(Double(result.count)),
        ]
        return JSONResponses.json(out, sequence: sequence)
    }

    func listDatasets(_ request: Request) async throws -> Response {
        let body = try await api.readBody(request)
        let query: ListQuery
        do { query = try ListQuery(body: .object(body.object), schema: Self.datasetSchema) } catch {
            throw APIError(.badRequest, "invalid_filter", error.message)
        }
        let sequence = try await api.resolveVersion(nil as String?)
        let docs = try allDatasetDocuments(sequence).map { JSONDocument($0, layout: .datasets) }
        let result = query.run(on: docs)
        let out: JSONValue = [
            "datasets": .array(result.items.map { .object($0.row) }), "pages": .number(Double(result.pages)),
            "count": .number(Double(result.count)),
        ]
        return JSONResponses.json(out, sequence: sequence)
    }

    // MARK: - Lumisections

    func lumisections(_ route: String, _ request: Request) async throws -> Response {
        let body = try await api.readBody(request)
        let sequence = try await api.resolveVersion(nil as String?)
        let key = DatasetKey(run: try body.int("run_number"), name: try body.optionalString("dataset_name") ?? DatasetKey.onlineName)
        let (exists, flags, bits, luminosity, count) = try api.storage {
            try api.queries.read(asOf: sequence) { r in
                (
                    try r.dataset(key) != nil, try r.allFlags(key), try r.allOMSBits(run: key.run), try r.luminosity(run: key.run),
                    try r.run(key.run)?.lumisectionCount
                )
            }
        }
        guard exists else { throw APIError.notFound("\(key) does not exist") }
        let answer: JSONValue
        switch route {
        case "rr_lumisections":
            answer = .array(RunRegistryDocuments.rrLumisections(flags, count: count).map { .object($0) })
        case "oms_lumisections":
            answer = .array(RunRegistryDocuments.omsLumisections(bits, luminosity: luminosity, count: count).map { .object($0) })
        case "rr_lumisection_ranges":
            answer = .array(RunRegistryDocuments.ranges(RunRegistryDocuments.rrLumisections(flags, count: count)))
        case "rr_lumisection_ranges_by_component":
            answer = .object(RunRegistryDocuments.rangesByComponent(flags, count: count))
        case "oms_lumisection_ranges":
            answer = .array(RunRegistryDocuments.ranges(RunRegistryDocuments.omsLumisections(bits, luminosity: nil, count: count)))
        default:  // joint_lumisection_ranges
            let rr = RunRegistryDocuments.rrLumisections(flags, count: count)
            var joint = RunRegistryDocuments.omsLumisections(bits, luminosity: luminosity, count: count)
            if joint.count < rr.count { joint += Array(repeating: JSONObject(), count: rr.count - joint.count) }
            for (i, row) in rr.enumerated() {
                if joint[i]["err"] != nil { joint[i] = JSONObject() }
                for (k, v) in row { joint[i][k] = v }
            }
            answer = .array(RunRegistryDocuments.ranges(joint))
        }
        return JSONResponses.json(answer, sequence: sequence)
    }

    func editLumisections(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let body = try await api.readBody(request)
        let run = try body.int("run_number")
        let dataset = try body.optionalString("dataset_name") ?? DatasetKey.onlineName
        let component = try body.string("component")
        let key = DatasetKey(run: run, name: dataset)
        // The permission check comes before any validation of the range, as in the Run Registry.
        let action = Action(key.isOnline ? .onlineFlagsEdit : .flagsEdit, component)
        let identity = try await api.access.authorize(request, context, action: action, flavour: .runRegistry)
        if key.isOnline {
            let current = try await api.resolveVersion(nil as String?)
            guard let view = try api.storage({ try api.queries.run(run, asOf: current) }) else { throw APIError.notFound("Run not found") }
            guard view.state == .open else {
                throw APIError.unprocessable("run_not_open", "Run must be in state OPEN to be edited (run \(run) is \(view.state))")
            }
        }
        let range = try body.objectField("new_lumisection_range")
        guard let statusText = try range.optionalString("status") else {
            throw APIError.unprocessable("invalid_argument", "No status present when trying to edit lumisections")
        }
        let flag = Flag(
            try CommandTranslation.status(statusText), comment: try range.optionalString("comment") ?? "",
            cause: try range.optionalString("cause") ?? "")
        let start = try range.int("start")
        let end = try range.int("end")
        guard start <= end else { throw APIError.unprocessable("invalid_range", "Start Lumisection must be less than end lumisection") }
        let lsRange: LumisectionRange
        do { lsRange = try LumisectionRange(start, end) } catch { throw APIError.unprocessable("invalid_range", error.message) }
        let outcome = try await api.perform(
            [.dataset(key, .setFlags(component: component, range: lsRange, flag: flag))], actor: identity.email,
            reason: try body.optionalString("reason"), expectedVersion: nil,
            idempotencyKey: request.headers[NativeWriteRoutes.idempotencyHeader])
        // Read-your-writes: the answer comes once the views include the edit, as for the other writes.
        _ = try await api.resolveVersion(String(outcome.sequence))
        let answer: JSONValue = [
            "version": .number(Double(outcome.sequence)), "run_number": .number(Double(run)), "name": .string(dataset),
            "lumisection_metadata_id": .number(Double(outcome.sequence)), "manual_change": true,
        ]
        return JSONResponses.json(answer, sequence: outcome.sequence)
    }

    // MARK: - Writes

    /// A run write: the permission check first, then `precheck` on the current run (404 "Run not found"
    /// when it does not exist), then the command.
    func runWrite(
        _ request: Request, _ context: APIRequestContext, _ run: Int, _ command: RunCommand, reason: String? = nil,
        precheck: ((RunView) throws(APIError) -> Void)? = nil
    ) async throws -> Response {
        let translated = TranslatedCommand(command: .run(run, command))
        let identity = try await api.access.authorize(request, context, action: translated.action, flavour: .runRegistry)
        if let precheck {
            let current = try await api.resolveVersion(nil as String?)
            guard let view = try api.storage({ try api.queries.run(run, asOf: current) }) else { throw APIError.notFound("Run not found") }
            try precheck(view)
        }
        let outcome = try await api.perform(
            [translated.command], actor: identity.email, reason: reason, expectedVersion: nil,
            idempotencyKey: request.headers[NativeWriteRoutes.idempotencyHeader])
        let sequence = try await api.resolveVersion(String(outcome.sequence))
        guard let doc = try runDocument(run, sequence) else { throw APIError.notFound("Run not found") }
        return JSONResponses.json(.object(doc), sequence: sequence)
    }

    func moveDataset(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let body = try await api.readBody(request)
        let workspace = context.parameters.get("workspace") ?? ""
        let toText = context.parameters.get("to") ?? ""
        let key = DatasetKey(run: try body.int("run_number"), name: try body.string("dataset_name"))
        let to = try CommandTranslation.workspaceState(toText)
        // The client sends no reason; the ledger records one that names the route (backward moves need one).
        let reason =
            try body.optionalString("reason")
            ?? "runregistry client: datasets/\(workspace)/move_dataset/\(context.parameters.get("from") ?? "")/\(toText)"
        // The Run Registry's special case (opening a waiting dataset globally opens every waiting
        // workspace) is the domain's own rule for a global move from 'waiting dqm gui' to OPEN.
        let commands: [CertificationCommand] = [.dataset(key, .moveWorkspaceState(workspace: workspace, to: to, reason: reason))]
        let identity = try await api.access.authorize(
            request, context, action: Action(.datasetMove, workspace), flavour: .runRegistry)
        let outcome = try await api.perform(
            commands, actor: identity.email, reason: reason, expectedVersion: nil,
            idempotencyKey: request.headers[NativeWriteRoutes.idempotencyHeader])
        let sequence = try await api.resolveVersion(String(outcome.sequence))
        guard let doc = try datasetDocument(key, sequence) else { throw APIError.notFound("\(key) does not exist") }
        return JSONResponses.json(.object(doc), sequence: sequence)
    }

    // MARK: - JSON portal, cycles, datasets accepted

    /// `json_portal/generate`: the answer always carries `id`, even on error (the client reads it before
    /// polling), and polling a failed id answers the same error, so the client's exception names it.
    func portalGenerate(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = portal.nextID()
        do {
            return try await portalGenerate(id, request, context)
        } catch {
            let apiError = (error as? APIError) ?? APIError(.internalServerError, "internal", "\(error)")
            portal.fail(id, apiError)
            let answer: JSONValue = ["id": .number(Double(id)), "err": .string(apiError.message)]
            return JSONResponses.json(answer, status: apiError.status)
        }
    }

    func portalGenerate(_ id: Int, _ request: Request, _ context: APIRequestContext) async throws -> Response {
        let body = try await api.readBody(request)
        let identity = try await api.access.identify(request, context)
        guard case .string(let logicText)? = body.object["json_logic"] else {
            throw APIError.badRequest("JSON logic sent is not in json format")
        }
        let logic: JSONValue
        do { logic = try JSONValue.parse(logicText) } catch { throw APIError.badRequest("JSON logic sent is not in json format") }
        if case .object(let o) = logic, o.isEmpty { throw APIError.badRequest("Empty json logic sent") }
        guard let filter = try body.optionalString("dataset_name_filter") else {
            throw APIError.badRequest("No dataset name specified")
        }
        let definition = try AdHocCertificationRule.compile(name: "json_portal", rule: logic, filter: filter)
        let sequence = try await api.resolveVersion(nil as String?)
        let result = try api.storage {
            try GoldenGenerator(queries: api.queries).generate(rule: definition.rule, filter: definition.filter, asOf: sequence)
        }
        guard !result.datasets.isEmpty else { throw APIError.notFound("No datasets matched that dataset name") }
        var byDataset = JSONObject()
        for k in result.certifiedByDataset.keys.sorted() {
            byDataset[k] = .array(result.certifiedByDataset[k]!.map { [.number(Double($0.lowerBound)), .number(Double($0.upperBound))] })
        }
        let now = LedgerTimestamp.now().iso8601
        let record: JSONObject = [
            "id": .number(Double(id)), "dataset_name_filter": .string(filter), "tags": .string(try body.optionalString("tags") ?? ""),
            "created_by": .string(identity?.email ?? "anonymous"), "official": .bool(try body.optionalBool("official") ?? false),
            "runregistry_version": .string("runledger"), "json_logic": logic,
            "generated_json": try JSONValue.parse(result.certified.canonicalBytes),
            "generated_json_with_dataset_names": .object(byDataset),
            "generated_anti_json": try JSONValue.parse(result.rejected.canonicalBytes),
            "total_recorded_luminosity": .number(result.recordedIn + result.recordedLost),
            "total_delivered_luminosity": .number(result.deliveredIn + result.deliveredLost),
            "sum_recorded_luminosity": .number(result.recordedIn), "sum_delivered_luminosity": .number(result.deliveredIn),
            "ledger_sequence": .number(Double(result.sequence)), "chain_hash": .string(result.link.hex),
            "deleted": false, "createdAt": .string(now), "updatedAt": .string(now),
        ]
        portal.store(id, record)
        return JSONResponses.json(
            ["id": .number(Double(id)), "name": "__default__", "progress": 1, "returnvalue": .null], sequence: sequence)
    }

    func cycles(_ workspace: String) async throws -> Response {
        let sequence = try await api.resolveVersion(nil as String?)
        let list = try api.storage { () throws -> [JSONValue] in
            try api.log.read { s in
                try s.streamIDs(prefix: "cycle/").compactMap { id -> JSONValue? in
                    var cycle = CycleAggregate(id: String(id.dropFirst("cycle/".count)))
                    for e in try s.streamEvents(id) where e.sequence <= sequence { try cycle.apply(e) }
                    guard cycle.exists else { return nil }
                    guard workspace == "global" || cycle.workspaceStates[workspace] != nil else { return nil }
                    var attributes = JSONObject()
                    attributes["global_state"] = .string(cycle.globalState.rawValue)
                    for (ws, state) in cycle.workspaceStates.sorted(by: { $0.key < $1.key }) {
                        attributes["\(ws)_state"] = .string(state.rawValue)
                    }
                    let members = cycle.datasets.sorted()
                    let datasets = members.map { k -> JSONValue in ["run_number": .number(Double(k.run)), "name": .string(k.name)] }
                    let cycleDatasets = members.map { k -> JSONValue in
                        ["id_cycle": .string(cycle.id), "run_number": .number(Double(k.run)), "name": .string(k.name)]
                    }
                    return [
                        "id_cycle": .string(cycle.id), "cycle_name": .string(cycle.name), "cycle_attributes": .object(attributes),
                        "deadline": cycle.deadline.map { .string($0.iso8601) } ?? .null, "deleted": false,
                        "CycleDataset": .array(cycleDatasets), "datasets": .array(datasets),
                    ]
                }
            }
        }
        return JSONResponses.json(.array(list), sequence: sequence)
    }

    func datasetsAccepted() async throws -> Response {
        let sequence = try await api.resolveVersion(nil as String?)
        let rules = try api.storage { () throws -> [DatasetsAcceptedRule] in
            var config = ConfigAggregate(kind: .datasetsAccepted)
            try api.log.read { s in
                for e in try s.streamEvents(StreamName.config(.datasetsAccepted).id) where e.sequence <= sequence {
                    try config.apply(e)
                }
            }
            return config.sortedAcceptedRules
        }
        let list = rules.map { r -> JSONValue in
            [
                "id": .number(Double(r.id)), "name": .string(r.name), "regexp": .string(r.regexp), "enabled": .bool(r.enabled),
                "class": .string(r.runClass), "run_from": r.runFrom.map { .number(Double($0)) } ?? .null,
                "run_to": r.runTo.map { .number(Double($0)) } ?? .null,
            ]
        }
        return JSONResponses.json(.array(list), sequence: sequence)
    }
}

/// The JSON portal's generated records (or the error of a failed generation), kept in memory by id for polling.
final class JSONPortal: Sendable {
    enum Entry: Sendable {
        case done(JSONObject)
        case failed(APIError)
    }

    private let state = Mutex<(next: Int, records: [Int: Entry])>((1, [:]))

    func nextID() -> Int { state.withLock { s in defer { s.next += 1 }; return s.next } }
    func store(_ id: Int, _ record: JSONObject) { state.withLock { $0.records[id] = .done(record) } }
    func fail(_ id: Int, _ error: APIError) { state.withLock { $0.records[id] = .failed(error) } }
    func record(_ id: Int) -> Entry? { state.withLock { $0.records[id] } }
}

/// Cached Run Registry list documents, for one version at a time.
final class DocumentCache: Sendable {
    private let state = Mutex<(runs: (UInt64, [JSONObject])?, datasets: (UInt64, [JSONObject])?)>((nil, nil))

    func runs(at sequence: UInt64) -> [JSONObject]? { state.withLock { $0.runs?.0 == sequence ? $0.runs?.1 : nil } }
    func datasets(at sequence: UInt64) -> [JSONObject]? { state.withLock { $0.datasets?.0 == sequence ? $0.datasets?.1 : nil } }
    func store(runs: [JSONObject], at sequence: UInt64) { state.withLock { $0.runs = (sequence, runs) } }
    func store(datasets: [JSONObject], at sequence: UInt64) { state.withLock { $0.datasets = (sequence, datasets) } }
}
