import Projections
import LedgerStorage
import HTTPTypes
import Certification
import CertificationService
import Hummingbird
import LedgerCore
import Rules

/// The history and audit routes: provenance of a flag, a dataset's diff between versions, an actor's activity.
struct AuditRoutes {
    let api: LedgerAPI

    func register(on router: Router<APIRequestContext>) {
        let api = self.api
        router.get("/v1/audit/provenance") { request, _ in
            let sequence = try await api.resolveVersion(request)
            let run = try request.queryInt("run", range: 1...Int.max) ?? { throw APIError.badRequest("query parameter run is required") }()
            let ls = try request.queryInt("ls", range: 1...Int.max) ?? { throw APIError.badRequest("query parameter ls is required") }()
            let dataset = request.query("dataset") ?? DatasetKey.onlineName
            let component = try request.requireQuery("component")
            let p = try api.storage {
                try api.audit.provenance(run: run, dataset: dataset, component: component, lumisection: ls, asOf: sequence)
            }
            return NativeReadRoutes.answer(
                sequence,
                [
                    ("run_number", .number(Double(run))), ("dataset", .string(dataset)), ("component", .string(component)),
                    ("lumisection", .number(Double(ls))),
                    ("current", p.current.map { .object(ViewJSON.flag($0)) } ?? .null),
                    ("decided_by", p.decidedBy.map(EventJSON.entry) ?? .null),
                    ("manual_override", .bool(p.isManualOverride)),
                    ("chain", .array(p.chain.map(EventJSON.entry))),
                ])
        }
        router.get("/v1/audit/history") { request, _ in
            let sequence = try await api.resolveVersion(request)
            let run = try request.queryInt("run", range: 1...Int.max) ?? { throw APIError.badRequest("query parameter run is required") }()
            let entries = try api.storage {
                try api.audit.history(
                    run: run, dataset: request.query("dataset"), component: request.query("component"),
                    lumisection: try request.queryInt("ls"), asOf: sequence)
            }
            return NativeReadRoutes.answer(sequence, [("entries", .array(entries.map(EventJSON.entry)))])
        }
        router.get("/v1/audit/diff") { request, _ in
            let run = try request.queryInt("run", range: 1...Int.max) ?? { throw APIError.badRequest("query parameter run is required") }()
            let dataset = request.query("dataset") ?? DatasetKey.onlineName
            let from = try await api.resolveVersion(try request.requireQuery("from"))
            let to = try await api.resolveVersion(request.query("to"))
            guard from <= to else { throw APIError.badRequest("from (\(from)) must not be after to (\(to))") }
            let diff = try api.storage { try api.audit.diff(run: run, dataset: dataset, from: from, to: to) }
            let changes = diff.flagChanges.map { c -> JSONValue in
                [
                    "component": .string(c.component), "start": .number(Double(c.range.first)), "end": .number(Double(c.range.last)),
                    "before": c.before.map { .object(ViewJSON.flag($0)) } ?? .null,
                    "after": c.after.map { .object(ViewJSON.flag($0)) } ?? .null,
                ]
            }
            let states = JSONObject(diff.stateChanges.keys.sorted().map { k in
                (k, JSONValue.object(["before": .string(diff.stateChanges[k]!.0), "after": .string(diff.stateChanges[k]!.1)]))
            })
            return NativeReadRoutes.answer(
                to,
                [
                    ("run_number", .number(Double(run))), ("dataset", .string(dataset)), ("from", .number(Double(from))),
                    ("to", .number(Double(to))), ("flag_changes", .array(changes)), ("state_changes", .object(states)),
                    ("events", .array(diff.events.map(EventJSON.entry))),
                ])
        }
        router.get("/v1/audit/activity") { request, _ in
            let actor = try request.requireQuery("actor")
            let since = try request.queryTime("since")
            let until = try request.queryTime("until")
            let limit = try request.queryInt("limit", default: 1000, range: 1...10_000)!
            let entries = try api.storage { try api.audit.activity(actor: actor, since: since, until: until, limit: limit) }
            let head = try api.storage { try api.log.head().sequence }
            return NativeReadRoutes.answer(head, [("actor", .string(actor)), ("entries", .array(entries.map(EventJSON.entry)))])
        }
    }
}
