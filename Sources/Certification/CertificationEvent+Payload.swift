public import LedgerCore

extension CertificationEvent {
    /// The payload as a canonical value: a map with snake_case keys (see design/events.md).
    public var payload: CanonicalValue {
        var m: [String: CanonicalValue] = [:]
        switch self {
        case .runCreated(let run, let oms, let runClass, let significant):
            m = ["run_number": .int(Int64(run)), "oms_attributes": .map(oms), "class": .string(runClass),
                 "significant": .bool(significant)]
        case .runOMSAttributesSet(let run, let attributes):
            m = ["run_number": .int(Int64(run)), "attributes": .map(attributes)]
        case .runClassSet(let run, let runClass):
            m = ["run_number": .int(Int64(run)), "class": .string(runClass)]
        case .runSignificanceSet(let run, let significant):
            m = ["run_number": .int(Int64(run)), "significant": .bool(significant)]
        case .runStopReasonSet(let run, let stopReason):
            m = ["run_number": .int(Int64(run)), "stop_reason": .string(stopReason)]
        case .runStateMoved(let run, let from, let to, let reason):
            m = ["run_number": .int(Int64(run)), "from": .string(from.rawValue), "to": .string(to.rawValue),
                 "reason": .string(reason)]
        case .runLumisectionCountSet(let run, let count):
            m = ["run_number": .int(Int64(run)), "lumisection_count": .int(Int64(count))]
        case .datasetCreated(let k, let global, let states, let appearedIn):
            m = k.payloadFields
            m["global_state"] = .string(global.rawValue)
            m["workspace_states"] = .map(states.mapValues { .string($0.rawValue) })
            m["appeared_in"] = .array(appearedIn.map { .string($0) })
        case .datasetWorkspaceStateMoved(let k, let workspace, let from, let to, let reason):
            m = k.payloadFields
            m["workspace"] = .string(workspace)
            m["from"] = .string(from.rawValue)
            m["to"] = .string(to.rawValue)
            m["reason"] = .string(reason)
        case .datasetGlobalStateMoved(let k, let from, let to, let reason):
            m = k.payloadFields
            m["from"] = .string(from.rawValue)
            m["to"] = .string(to.rawValue)
            m["reason"] = .string(reason)
        case .datasetAppearedIn(let k, let source, let names):
            m = k.payloadFields
            m["source"] = .string(source)
            m["gui_dataset_names"] = .array(names.map { .string($0) })
        case .lumisectionFlagsSet(let k, let component, let range, let flag, let rule):
            m = k.payloadFields.merging(range.payloadFields) { a, _ in a }
            m["component"] = .string(component)
            m["status"] = .string(flag.status.rawValue)
            m["comment"] = .string(flag.comment)
            m["cause"] = .string(flag.cause)
            m["rule"] = rule.map { .string($0) } ?? .null
        case .manualOverrideReleased(let k, let component, let range):
            m = k.payloadFields.merging(range.payloadFields) { a, _ in a }
            m["component"] = .string(component)
        case .omsLumisectionBitsSet(let k, let range, let bits, let comment):
            m = k.payloadFields.merging(range.payloadFields) { a, _ in a }
            m["bits"] = .map(bits.mapValues { $0.map { .bool($0) } ?? .null })
            m["comment"] = .string(comment)
        case .omsLuminositySet(let k, let range, let recorded, let delivered):
            m = k.payloadFields.merging(range.payloadFields) { a, _ in a }
            m["recorded"] = .array(recorded.map(PayloadNumber.value))
            m["delivered"] = .array(delivered.map(PayloadNumber.value))
        case .prescaleSet(let k, let range, let index, let name):
            m = k.payloadFields.merging(range.payloadFields) { a, _ in a }
            m["prescale_index"] = index.map { .int(Int64($0)) } ?? .null
            m["prescale_name"] = name.map { .string($0) } ?? .null
        case .commentAdded(let target, let text):
            m = ["run_number": .int(Int64(target.run)), "dataset_name": .null, "first_ls": .null, "last_ls": .null,
                 "component": .null, "text": .string(text)]
            switch target {
            case .run: break
            case .dataset(let k):
                m["dataset_name"] = .string(k.name)
            case .lumisections(let k, let range, let component):
                m["dataset_name"] = .string(k.name)
                m["first_ls"] = .int(Int64(range.first))
                m["last_ls"] = .int(Int64(range.last))
                m["component"] = component.map { .string($0) } ?? .null
            }
        case .cycleCreated(let id, let name, let deadline, let workspaces):
            m = ["cycle_id": .string(id), "name": .string(name),
                 "deadline": deadline.map { .string($0.iso8601) } ?? .null,
                 "workspaces": .array(workspaces.map { .string($0) })]
        case .cycleDatasetsAdded(let id, let datasets), .cycleDatasetsRemoved(let id, let datasets):
            m = ["cycle_id": .string(id), "datasets": .array(datasets.map { .map($0.payloadFields) })]
        case .cycleWorkspaceStateSet(let id, let workspace, let state, let reason):
            m = ["cycle_id": .string(id), "workspace": .string(workspace), "state": .string(state.rawValue),
                 "reason": .string(reason)]
        case .classifierSet(let c):
            m = ["id": .int(Int64(c.id)), "kind": .string(c.kind.rawValue), "target": .string(c.target),
                 "status": c.status.map { .string($0.rawValue) } ?? .null, "logic": .string(c.logic),
                 "priority": c.priority.map { .int(Int64($0)) } ?? .null, "enabled": .bool(c.enabled)]
        case .classifierRemoved(let kind, let id):
            m = ["id": .int(Int64(id)), "kind": .string(kind.rawValue)]
        case .datasetsAcceptedRuleSet(let r):
            m = ["id": .int(Int64(r.id)), "name": .string(r.name), "regexp": .string(r.regexp),
                 "class": .string(r.runClass), "run_from": r.runFrom.map { .int(Int64($0)) } ?? .null,
                 "run_to": r.runTo.map { .int(Int64($0)) } ?? .null, "enabled": .bool(r.enabled)]
        case .datasetsAcceptedRuleRemoved(let id), .permissionRemoved(let id):
            m = ["id": .int(Int64(id))]
        case .permissionSet(let p):
            m = ["id": .int(Int64(p.id)), "egroup": .string(p.egroup), "routes": .array(p.routes.map { .string($0) })]
        case .componentCatalogueChanged(let c):
            func columns(_ map: [String: [String]]) -> CanonicalValue {
                .map(map.mapValues { .array($0.map { .string($0) }) })
            }
            m = ["online_certifiable": columns(c.onlineCertifiable),
                 "offline_certifiable": columns(c.offlineCertifiable),
                 "offline_workspaces": columns(c.offlineWorkspaces)]
        }
        return .map(m)
    }
}

extension DatasetKey {
    /// `run_number` and `dataset_name`.
    var payloadFields: [String: CanonicalValue] {
        ["run_number": .int(Int64(run)), "dataset_name": .string(name)]
    }
}

extension LumisectionRange {
    /// `first_ls` and `last_ls`.
    var payloadFields: [String: CanonicalValue] {
        ["first_ls": .int(Int64(first)), "last_ls": .int(Int64(last))]
    }
}

/// How numbers in payloads are written: integral values as `int`, others as `double`.
enum PayloadNumber {
    static func value(_ d: Double) -> CanonicalValue {
        if d == d.rounded(), abs(d) < 9.0e15 { return .int(Int64(d)) }
        return .double(d)
    }
}
