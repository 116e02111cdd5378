public import LedgerCore

extension CertificationEvent {
    /// Decodes a stored event, upcasting payloads of older schema versions first.
    ///
    /// Unknown types, unsupported versions and malformed payloads are typed errors, never crashes.
    public static func decode(
        type: String, schemaVersion: UInt32, payload: CanonicalValue
    ) throws(CertificationError) -> CertificationEvent {
        let current = try upcast(type: type, schemaVersion: schemaVersion, payload: payload)
        return try decodeCurrent(type: type, payload: current)
    }

    /// Decodes a recorded event's type, schema version and payload bytes.
    public static func decode(_ recorded: RecordedEvent) throws(CertificationError) -> CertificationEvent {
        let value: CanonicalValue
        do {
            value = try CanonicalValue.decode(recorded.payload)
        } catch {
            throw CertificationError(
                .malformedPayload,
                "\(recorded.type) event \(recorded.sequence) on \(recorded.stream) has an undecodable payload: \(error)")
        }
        return try decode(type: recorded.type, schemaVersion: recorded.schemaVersion, payload: value)
    }

    private static func decodeCurrent(type: String, payload: CanonicalValue) throws(CertificationError) -> CertificationEvent {
        let r = try PayloadReader(type: type, payload: payload)
        switch type {
        case "RunCreated":
            return .runCreated(
                run: try r.run(), omsAttributes: try r.map("oms_attributes"), runClass: try r.string("class"),
                significant: try r.bool("significant"))
        case "RunOMSAttributesSet":
            return .runOMSAttributesSet(run: try r.run(), attributes: try r.map("attributes"))
        case "RunClassSet":
            return .runClassSet(run: try r.run(), runClass: try r.string("class"))
        case "RunSignificanceSet":
            return .runSignificanceSet(run: try r.run(), significant: try r.bool("significant"))
        case "RunStopReasonSet":
            return .runStopReasonSet(run: try r.run(), stopReason: try r.string("stop_reason"))
        case "RunStateMoved":
            return .runStateMoved(
                run: try r.run(), from: try r.enumValue("from", RunState.self), to: try r.enumValue("to", RunState.self),
                reason: try r.string("reason"))
        case "RunLumisectionCountSet":
            let count = try r.int("lumisection_count")
            guard count >= 0 else { throw r.fail("lumisection_count", "is negative") }
            return .runLumisectionCountSet(run: try r.run(), count: count)
        case "DatasetCreated":
            var states: [String: DatasetWorkspaceState] = [:]
            for (ws, raw) in try r.stringMap("workspace_states") {
                guard let s = DatasetWorkspaceState(rawValue: raw) else {
                    throw r.fail("workspace_states", "has unknown state '\(raw)' for workspace \(ws)")
                }
                states[ws] = s
            }
            return .datasetCreated(
                try r.datasetKey(), globalState: try r.enumValue("global_state", DatasetWorkspaceState.self),
                workspaceStates: states, appearedIn: try r.strings("appeared_in"))
        case "DatasetWorkspaceStateMoved":
            return .datasetWorkspaceStateMoved(
                try r.datasetKey(), workspace: try r.string("workspace"),
                from: try r.enumValue("from", DatasetWorkspaceState.self),
                to: try r.enumValue("to", DatasetWorkspaceState.self), reason: try r.string("reason"))
        case "DatasetGlobalStateMoved":
            return .datasetGlobalStateMoved(
                try r.datasetKey(), from: try r.enumValue("from", DatasetWorkspaceState.self),
                to: try r.enumValue("to", DatasetWorkspaceState.self), reason: try r.string("reason"))
        case "DatasetAppearedIn":
            return .datasetAppearedIn(
                try r.datasetKey(), source: try r.string("source"), guiDatasetNames: try r.strings("gui_dataset_names"))
        case "LumisectionFlagsSet":
            let flag = Flag(
                try r.enumValue("status", LumisectionStatus.self), comment: try r.string("comment"),
                cause: try r.string("cause"))
            return .lumisectionFlagsSet(
                try r.datasetKey(), component: try r.string("component"), range: try r.range(), flag: flag,
                rule: try r.optionalString("rule"))
        case "ManualOverrideReleased":
            return .manualOverrideReleased(try r.datasetKey(), component: try r.string("component"), range: try r.range())
        case "OMSLumisectionBitsSet":
            var bits: [String: Bool?] = [:]
            for (name, v) in try r.map("bits") {
                switch v {
                case .bool(let b): bits[name] = .some(b)
                case .null: bits[name] = .some(nil)
                default: throw r.fail("bits", "has a value for '\(name)' that is neither a boolean nor null")
                }
            }
            return .omsLumisectionBitsSet(try r.datasetKey(), range: try r.range(), bits: bits, comment: try r.string("comment"))
        case "OMSLuminositySet":
            let range = try r.range()
            let recorded = try r.numbers("recorded")
            let delivered = try r.numbers("delivered")
            guard recorded.count == range.count, delivered.count == range.count else {
                throw r.fail("recorded", "and 'delivered' must hold one value per lumisection of \(range)")
            }
            return .omsLuminositySet(try r.datasetKey(), range: range, recorded: recorded, delivered: delivered)
        case "PrescaleSet":
            return .prescaleSet(
                try r.datasetKey(), range: try r.range(), index: try r.optionalInt("prescale_index"),
                name: try r.optionalString("prescale_name"))
        case "CommentAdded":
            let run = try r.run()
            let text = try r.string("text")
            guard let name = try r.optionalString("dataset_name") else { return .commentAdded(.run(run), text: text) }
            let key = DatasetKey(run: run, name: name)
            if r.fields["first_ls"] == nil || r.fields["first_ls"] == .null {
                return .commentAdded(.dataset(key), text: text)
            }
            return .commentAdded(.lumisections(key, try r.range(), component: try r.optionalString("component")), text: text)
        case "CycleCreated":
            var deadline: LedgerTimestamp? = nil
            if let text = try r.optionalString("deadline") {
                guard let t = LedgerTimestamp(iso8601: text) else { throw r.fail("deadline", "is not an ISO-8601 time") }
                deadline = t
            }
            return .cycleCreated(
                cycle: try r.string("cycle_id"), name: try r.string("name"), deadline: deadline,
                workspaces: try r.strings("workspaces"))
        case "CycleDatasetsAdded", "CycleDatasetsRemoved":
            var keys: [DatasetKey] = []
            for item in try r.array("datasets") {
                keys.append(try PayloadReader(type: type, payload: item).datasetKey())
            }
            let id = try r.string("cycle_id")
            return type == "CycleDatasetsAdded"
                ? .cycleDatasetsAdded(cycle: id, datasets: keys) : .cycleDatasetsRemoved(cycle: id, datasets: keys)
        case "CycleWorkspaceStateSet":
            return .cycleWorkspaceStateSet(
                cycle: try r.string("cycle_id"), workspace: try r.string("workspace"),
                state: try r.enumValue("state", CycleWorkspaceState.self), reason: try r.string("reason"))
        case "ClassifierSet":
            var status: LumisectionStatus? = nil
            if let raw = try r.optionalString("status") {
                guard let s = LumisectionStatus(rawValue: raw) else { throw r.fail("status", "has unknown value '\(raw)'") }
                status = s
            }
            return .classifierSet(
                Classifier(
                    id: try r.int("id"), kind: try r.enumValue("kind", Classifier.Kind.self), target: try r.string("target"),
                    status: status, logic: try r.string("logic"), priority: try r.optionalInt("priority"),
                    enabled: try r.bool("enabled")))
        case "ClassifierRemoved":
            return .classifierRemoved(kind: try r.enumValue("kind", Classifier.Kind.self), id: try r.int("id"))
        case "DatasetsAcceptedRuleSet":
            return .datasetsAcceptedRuleSet(
                DatasetsAcceptedRule(
                    id: try r.int("id"), name: try r.string("name"), regexp: try r.string("regexp"),
                    runClass: try r.string("class"), runFrom: try r.optionalInt("run_from"),
                    runTo: try r.optionalInt("run_to"), enabled: try r.bool("enabled")))
        case "DatasetsAcceptedRuleRemoved":
            return .datasetsAcceptedRuleRemoved(id: try r.int("id"))
        case "PermissionSet":
            return .permissionSet(Permission(id: try r.int("id"), egroup: try r.string("egroup"), routes: try r.strings("routes")))
        case "PermissionRemoved":
            return .permissionRemoved(id: try r.int("id"))
        case "ComponentCatalogueChanged":
            return .componentCatalogueChanged(
                ComponentCatalogue(
                    onlineCertifiable: try r.columns("online_certifiable"),
                    offlineCertifiable: try r.columns("offline_certifiable"),
                    offlineWorkspaces: try r.columns("offline_workspaces")))
        default:
            throw CertificationError(.unknownEventType, "event type '\(type)' is not a certification event")
        }
    }
}
