import HTTPTypes
import Certification
import Foundation
import LedgerCore
import ProjectionViews
import Rules

/// JSON forms of the projection views, as the native API answers them.
enum ViewJSON {
    /// A canonical payload value as JSON: integers and doubles as numbers, bytes as base64, maps with sorted keys.
    static func value(_ v: CanonicalValue) -> JSONValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(Double(i))
        case .double(let d): return .number(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .string(Data(b).base64EncodedString())
        case .array(let a): return .array(a.map(value))
        case .map(let m): return .object(JSONObject(m.keys.sorted().map { ($0, value(m[$0]!)) }))
        }
    }

    /// OMS attributes as a JSON object with sorted keys.
    static func attributes(_ m: [String: CanonicalValue]) -> JSONValue {
        .object(JSONObject(m.keys.sorted().map { ($0, value(m[$0]!)) }))
    }

    static func strings(_ s: [String]) -> JSONValue { .array(s.map { .string($0) }) }

    static func int(_ i: Int) -> JSONValue { .number(Double(i)) }
    static func seq(_ s: UInt64) -> JSONValue { .number(Double(s)) }

    /// A run: state, class, significance, OMS attributes, datasets, times and the sequence of its last change.
    static func run(_ r: RunView) -> JSONValue {
        [
            "run_number": int(r.run),
            "state": .string(r.state.rawValue),
            "class": .string(r.runClass),
            "significant": .bool(r.significant),
            "stop_reason": .string(r.stopReason),
            "lumisection_count": r.lumisectionCount.map(int) ?? .null,
            "oms_attributes": attributes(r.omsAttributes),
            "datasets": strings(r.datasets),
            "created_at": .string(r.createdAt.iso8601),
            "updated_at": .string(r.updatedAt.iso8601),
            "last_sequence": seq(r.lastSequence),
        ]
    }

    /// A dataset: per-workspace states, appearances, cycle membership, times and last change.
    static func dataset(_ d: DatasetView) -> JSONValue {
        let states = JSONObject(d.workspaceStates.keys.sorted().map { ($0, JSONValue.string(d.workspaceStates[$0]!.rawValue)) })
        return [
            "run_number": int(d.run),
            "name": .string(d.name),
            "pass": .string(d.passKey),
            "global_state": .string(d.globalState.rawValue),
            "workspace_states": .object(states),
            "appeared_in": strings(d.appearedIn),
            "datasets_in_gui": strings(d.guiDatasetNames),
            "cycles": strings(d.cycles),
            "created_at": .string(d.createdAt.iso8601),
            "updated_at": .string(d.updatedAt.iso8601),
            "last_sequence": seq(d.lastSequence),
        ]
    }

    /// One flag triplet as JSON.
    static func flag(_ f: Flag) -> JSONObject {
        ["status": .string(f.status.rawValue), "comment": .string(f.comment), "cause": .string(f.cause)]
    }

    /// A component's effective ranges (manual over automatic), each with the deciding sequence and layer.
    static func ranges(_ v: FlagRangesView) -> [JSONValue] {
        v.effectiveRanges.map { segment in
            var o = flag(segment.value.flag)
            o["start"] = int(segment.range.first)
            o["end"] = int(segment.range.last)
            o["sequence"] = seq(segment.value.sequence)
            let manual = v.manual.contains { $0.range.overlaps(segment.range) && $0.value == segment.value }
            o["source"] = .string(manual ? "manual" : "automatic")
            return .object(o)
        }
    }

    /// A component's statuses per lumisection, index = LS − 1, `null` where no flag is set.
    static func perLumisection(_ v: FlagRangesView, count: Int?) -> [JSONValue] {
        let segments = v.effectiveRanges
        let last = max(count ?? 0, segments.last?.range.last ?? 0)
        var out = [JSONValue](repeating: .null, count: last)
        for s in segments {
            let f = JSONValue.object(flag(s.value.flag))
            for ls in s.range.first...s.range.last { out[ls - 1] = f }
        }
        return out
    }

    /// An OMS bit's ranges: `{"start", "end", "value", "sequence"}`.
    static func bitRanges(_ v: OMSBitView) -> [JSONValue] {
        v.segments.map { s in
            [
                "start": int(s.range.first), "end": int(s.range.last),
                "value": s.value.value.map(JSONValue.bool) ?? .null, "sequence": seq(s.value.sequence),
            ]
        }
    }

    /// A dataset summary: per-component counts (with EMPTY), comments and causes, DCS counts, luminosity.
    static func summary(_ s: DatasetSummaryView) -> JSONValue {
        var components = JSONObject()
        for name in s.components.keys.sorted() {
            let c = s.components[name]!
            var o = JSONObject()
            for status in LumisectionStatus.allCases { o[status.rawValue] = int(c.counts[status]) }
            o["EMPTY"] = s.emptyCount(component: name).map(int) ?? .null
            o["comments"] = strings(c.comments)
            o["causes"] = strings(c.causes)
            components[name] = .object(o)
        }
        var dcs = JSONObject()
        for bit in s.dcs.keys.sorted() {
            let c = s.dcs[bit]!
            dcs[bit] = ["true": int(c.trueCount), "false": int(c.falseCount), "null": int(c.nullCount)]
        }
        var certification = JSONObject()
        for ws in s.certification.keys.sorted() {
            let c = s.certification[ws]!
            certification[ws] = [
                "certified_ranges": .array(c.certifiedRanges.map { [int($0.first), int($0.last)] }),
                "recorded_luminosity": .number(c.recordedLuminosity),
            ]
        }
        return [
            "run_number": int(s.run), "name": .string(s.name), "pass": .string(s.passKey),
            "workspaces": strings(s.workspaces), "lumisection_count": s.lumisectionCount.map(int) ?? .null,
            "components": .object(components), "dcs": .object(dcs),
            "recorded_luminosity": .number(s.recordedLuminosity), "delivered_luminosity": .number(s.deliveredLuminosity),
            "certification": .object(certification), "last_sequence": seq(s.lastSequence),
        ]
    }

    /// A processing pass's progress in one workspace.
    static func pass(_ p: PassView) -> JSONValue {
        func counts(_ c: [DatasetWorkspaceState: Int]) -> JSONValue {
            .object(JSONObject(DatasetWorkspaceState.allCases.map { ($0.rawValue, int(c[$0] ?? 0)) }))
        }
        return [
            "pass": .string(p.passKey), "workspace": .string(p.workspace),
            "datasets": counts(p.datasetCounts), "runs": counts(p.runCounts),
            "certified_recorded_luminosity": .number(p.certifiedRecordedLuminosity),
            "open_items": .array(
                p.openItems.map {
                    ["run_number": int($0.dataset.run), "name": .string($0.dataset.name), "state": .string($0.state.rawValue)]
                }),
            "last_sequence": seq(p.lastSequence),
        ]
    }
}
