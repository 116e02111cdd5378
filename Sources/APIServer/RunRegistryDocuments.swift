import HTTPTypes
import Certification
import Foundation
import LedgerCore
import ProjectionViews
import Rules

/// The Run Registry's JSON shapes (runregistry 3.1.2 reads them), built from the projection views.
enum RunRegistryDocuments {
    /// `rr_attributes` of a run.
    static func rrAttributes(_ r: RunView) -> JSONValue {
        [
            "class": .string(r.runClass), "state": .string(r.state.rawValue), "significant": .bool(r.significant),
            "stop_reason": .string(r.stopReason),
        ]
    }

    /// The Run Registry's `triplet_summary`: per component, status counts (with EMPTY), comments and causes.
    static func tripletSummary(_ s: DatasetSummaryView?) -> JSONValue {
        guard let s else { return .object(JSONObject()) }
        var out = JSONObject()
        for name in s.components.keys.sorted() {
            let c = s.components[name]!
            var o = JSONObject()
            for status in LumisectionStatus.allCases { o[status.rawValue] = .number(Double(c.counts[status])) }
            o["EMPTY"] = .number(Double(s.emptyCount(component: name) ?? 0))
            o["comments"] = .array(c.comments.map { .string($0) })
            o["causes"] = .array(c.causes.map { .string($0) })
            out[name] = .object(o)
        }
        return .object(out)
    }

    /// The `dcs_summary` of a dataset: per OMS bit, LS counts of true, false and null.
    static func dcsSummary(_ s: DatasetSummaryView?) -> JSONValue {
        guard let s else { return .object(JSONObject()) }
        return .object(
            JSONObject(
                s.dcs.keys.sorted().map { bit in
                    let c = s.dcs[bit]!
                    return (
                        bit,
                        JSONValue.object([
                            "true": .number(Double(c.trueCount)), "false": .number(Double(c.falseCount)),
                            "null": .number(Double(c.nullCount)),
                        ])
                    )
                }))
    }

    /// A run as `runs_filtered_ordered` and the run routes answer it.
    static func run(_ r: RunView, online: DatasetSummaryView?) -> JSONObject {
        [
            "run_number": .number(Double(r.run)),
            "oms_attributes": ViewJSON.attributes(r.omsAttributes),
            "rr_attributes": rrAttributes(r),
            "version": .number(Double(r.lastSequence)),
            "deleted": .bool(false),
            "createdAt": .string(r.createdAt.iso8601),
            "updatedAt": .string(r.updatedAt.iso8601),
            "DatasetTripletCache": [
                "run_number": .number(Double(r.run)), "name": .string(DatasetKey.onlineName),
                "triplet_summary": tripletSummary(online),
            ],
        ]
    }

    /// `dataset_attributes` of a dataset: `global_state`, `<workspace>_state` and `appeared_in`.
    static func datasetAttributes(_ d: DatasetView) -> JSONValue {
        var o = JSONObject()
        o["global_state"] = .string(d.globalState.rawValue)
        for ws in d.workspaceStates.keys.sorted() { o["\(ws)_state"] = .string(d.workspaceStates[ws]!.rawValue) }
        o["appeared_in"] = .array(d.appearedIn.map { .string($0) })
        return .object(o)
    }

    /// A dataset as `datasets_filtered_ordered` and the dataset routes answer it.
    static func dataset(_ d: DatasetView, run: RunView?, summary: DatasetSummaryView?) -> JSONObject {
        [
            "run_number": .number(Double(d.run)),
            "name": .string(d.name),
            "dataset_attributes": datasetAttributes(d),
            "datasets_in_gui": .array(d.guiDatasetNames.map { .string($0) }),
            "deleted": .bool(false),
            "version": .number(Double(d.lastSequence)),
            "createdAt": .string(d.createdAt.iso8601),
            "updatedAt": .string(d.updatedAt.iso8601),
            "Run": [
                "run_number": .number(Double(d.run)),
                "rr_attributes": run.map(rrAttributes) ?? .object(JSONObject()),
                "oms_attributes": run.map { ViewJSON.attributes($0.omsAttributes) } ?? .object(JSONObject()),
            ],
            "DatasetTripletCache": [
                "run_number": .number(Double(d.run)), "name": .string(d.name),
                "triplet_summary": tripletSummary(summary), "dcs_summary": dcsSummary(summary),
            ],
        ]
    }

    /// The EMPTY triplet of a lumisection without a flag.
    static let emptyTriplet: JSONValue = ["status": "EMPTY", "comment": "", "cause": ""]

    /// Per LS (index = LS − 1), every component's triplet: the `rr_lumisections` answer; `[]` when the
    /// dataset has no flags at all (as the Run Registry answers a dataset without lumisection events).
    static func rrLumisections(_ flags: [String: FlagRangesView], count: Int?) -> [JSONObject] {
        guard !flags.isEmpty else { return [] }
        let names = flags.keys.sorted()
        let last = max(count ?? 0, flags.values.map { $0.effectiveRanges.last?.range.last ?? 0 }.max() ?? 0)
        var rows = [JSONObject](repeating: JSONObject(), count: last)
        for name in names {
            var column = [JSONValue](repeating: emptyTriplet, count: last)
            for s in flags[name]!.effectiveRanges {
                let t = JSONValue.object(ViewJSON.flag(s.value.flag))
                for ls in s.range.first...s.range.last { column[ls - 1] = t }
            }
            for i in 0..<last { rows[i][name] = column[i] }
        }
        return rows
    }

    /// Per LS, the run's OMS bits and luminosity: the `oms_lumisections` answer (gaps carry `err`).
    static func omsLumisections(_ bits: [String: OMSBitView], luminosity: LuminosityView?, count: Int?) -> [JSONObject] {
        let names = bits.keys.sorted()
        let last = max(
            count ?? 0, bits.values.map { $0.segments.last?.range.last ?? 0 }.max() ?? 0, luminosity?.recorded.count ?? 0)
        var rows = [JSONObject](repeating: JSONObject(), count: last)
        for name in names {
            for s in bits[name]!.segments {
                let v = s.value.value.map(JSONValue.bool) ?? .null
                for ls in s.range.first...s.range.last { rows[ls - 1][name] = v }
            }
        }
        if let luminosity {
            for (i, r) in luminosity.recorded.enumerated() where i < last { rows[i]["recorded"] = .number(r) }
            for (i, d) in luminosity.delivered.enumerated() where i < last { rows[i]["delivered"] = .number(d) }
        }
        for i in 0..<last where rows[i].isEmpty { rows[i]["err"] = "No data available for this lumisection" }
        return rows
    }

    /// Consecutive equal rows merged into `{..., "start", "end"}` ranges.
    static func ranges(_ rows: [JSONObject]) -> [JSONValue] {
        var out: [JSONValue] = []
        var i = 0
        while i < rows.count {
            var j = i
            while j + 1 < rows.count, rows[j + 1] == rows[i] { j += 1 }
            var o = rows[i]
            o["start"] = .number(Double(i + 1))
            o["end"] = .number(Double(j + 1))
            out.append(.object(o))
            i = j + 1
        }
        return out
    }

    /// Per component, its ranges with the triplet: the `rr_lumisection_ranges_by_component` answer (LS numbers, not indexes).
    static func rangesByComponent(_ flags: [String: FlagRangesView], count: Int?) -> JSONObject {
        let last = max(count ?? 0, flags.values.map { $0.effectiveRanges.last?.range.last ?? 0 }.max() ?? 0)
        var out = JSONObject()
        for name in flags.keys.sorted() {
            var items: [JSONValue] = []
            var next = 1
            func empty(_ a: Int, _ b: Int) {
                guard a <= b else { return }
                items.append(["status": "EMPTY", "comment": "", "cause": "", "start": .number(Double(a)), "end": .number(Double(b))])
            }
            for s in flags[name]!.effectiveRanges {
                empty(next, s.range.first - 1)
                var o = ViewJSON.flag(s.value.flag)
                o["start"] = .number(Double(s.range.first))
                o["end"] = .number(Double(s.range.last))
                items.append(.object(o))
                next = s.range.last + 1
            }
            empty(next, last)
            out[name] = .array(items)
        }
        return out
    }
}
