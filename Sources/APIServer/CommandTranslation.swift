import HTTPTypes
public import Access
public import Certification
import Foundation
import LedgerCore
import Rules

/// A domain command read from an HTTP request, with the permission action it needs.
public struct TranslatedCommand: Sendable {
    /// The command for the domain.
    public var command: CertificationCommand
    /// The permission action the command needs, e.g. `flags.edit:tracker-pixel`.
    public var action: Action { Action(for: command) }
}

/// Translates native write requests (`POST /v1/<aggregate>/<id>/<command>`) into domain commands.
///
/// It checks only shapes and types (400); the domain decides everything else (404, 409, 422).
package enum CommandTranslation {
    /// The command names of each aggregate, for the OpenAPI document and the 404 message.
    package static let runCommands = [
        "create", "set-oms-attributes", "set-class", "set-significance", "mark-significant", "set-stop-reason",
        "move-state", "set-lumisection-count", "add-comment",
    ]
    package static let datasetCommands = [
        "create", "move-state", "record-appearance", "set-flags", "release-override", "set-oms-bits", "set-luminosity",
        "set-prescale", "add-comment",
    ]
    package static let cycleCommands = ["create", "add-datasets", "remove-datasets", "set-state"]
    package static let configCommands = [
        "set-permission", "remove-permission", "set-datasets-accepted", "remove-datasets-accepted", "set-classifier",
        "remove-classifier",
    ]

    static func unknown(_ kind: String, _ name: String, _ allowed: [String]) -> APIError {
        .notFound("there is no \(kind) command '\(name)'; the \(kind) commands are \(allowed.joined(separator: ", "))")
    }

    // MARK: Values

    static func status(_ text: String) throws(APIError) -> LumisectionStatus {
        guard let s = LumisectionStatus(rawValue: text.uppercased()) else {
            throw .unprocessable(
                "invalid_status",
                "status '\(text)' is not one of \(LumisectionStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return s
    }

    static func runState(_ text: String) throws(APIError) -> RunState {
        guard let s = RunState(rawValue: text.uppercased()) else {
            throw .unprocessable(
                "invalid_state", "run state '\(text)' is not one of \(RunState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return s
    }

    static func workspaceState(_ text: String) throws(APIError) -> DatasetWorkspaceState {
        let match = DatasetWorkspaceState.allCases.first { $0.rawValue == text || $0.rawValue == text.uppercased() }
        guard let s = match else {
            throw .unprocessable(
                "invalid_state",
                "dataset state '\(text)' is not one of \(DatasetWorkspaceState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return s
    }

    static func range(_ body: BodyReader) throws(APIError) -> LumisectionRange {
        let first = try body.int("start")
        let last = try body.int("end")
        do {
            return try LumisectionRange(first, last)
        } catch {
            throw .unprocessable("invalid_range", error.message)
        }
    }

    static func canonical(_ v: JSONValue, _ path: String) throws(APIError) -> CanonicalValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d):
            if d == d.rounded(), abs(d) <= 9_007_199_254_740_992 { return .int(Int64(d)) }
            guard d.isFinite else { throw .badRequest("\(path) must be a finite number") }
            return .double(d)
        case .string(let s): return .string(s)
        case .array(let a):
            var out: [CanonicalValue] = []
            for (i, e) in a.enumerated() { out.append(try canonical(e, "\(path)[\(i)]")) }
            return .array(out)
        case .object(let o):
            var out: [String: CanonicalValue] = [:]
            for (k, e) in o { out[k] = try canonical(e, "\(path).\(k)") }
            return .map(out)
        }
    }

    static func attributes(_ body: BodyReader, _ name: String) throws(APIError) -> [String: CanonicalValue] {
        let o = try body.objectField(name)
        var out: [String: CanonicalValue] = [:]
        for (k, v) in o.object { out[k] = try canonical(v, "\(o.path).\(k)") }
        return out
    }

    static func datasetKeys(_ body: BodyReader, _ name: String) throws(APIError) -> [DatasetKey] {
        var keys: [DatasetKey] = []
        for (i, v) in try body.array(name).enumerated() {
            guard case .object(let o) = v else { throw .badRequest("body.\(name)[\(i)] must be an object {run_number, name}") }
            let item = BodyReader(o, path: "body.\(name)[\(i)]")
            keys.append(DatasetKey(run: try item.int("run_number"), name: try item.string("name")))
        }
        return keys
    }

    // MARK: Aggregates

    package static func run(_ number: Int, _ name: String, _ body: BodyReader) throws(APIError) -> TranslatedCommand {
        let command: RunCommand
        switch name {
        case "create":
            command = .create(
                omsAttributes: body.has("oms_attributes") ? try attributes(body, "oms_attributes") : [:],
                runClass: try body.optionalString("class") ?? "", significant: try body.optionalBool("significant") ?? false)
        case "set-oms-attributes": command = .setOMSAttributes(try attributes(body, "oms_attributes"))
        case "set-class": command = .setClass(try body.string("class"))
        case "set-significance":
            command = .setSignificance(try body.bool("significant"))
        case "mark-significant":
            command = .markSignificant
        case "set-stop-reason": command = .setStopReason(try body.string("stop_reason"))
        case "move-state":
            command = .moveState(to: try runState(try body.string("to")), reason: try body.optionalString("reason") ?? "")
        case "set-lumisection-count": command = .setLumisectionCount(try body.int("count"))
        case "add-comment":
            command = .addComment(try body.string("comment"))
        default: throw unknown("run", name, runCommands)
        }
        return TranslatedCommand(command: .run(number, command))
    }

    package static func dataset(_ run: Int, _ name: String, _ body: BodyReader) throws(APIError) -> TranslatedCommand {
        let key = DatasetKey(run: run, name: try body.string("dataset"))
        let command: DatasetCommand
        switch name {
        case "create":
            command = .create(workspaces: try body.strings("workspaces"))
        case "move-state":
            let workspace = try body.string("workspace")
            command = .moveWorkspaceState(
                workspace: workspace, to: try workspaceState(try body.string("to")),
                reason: try body.optionalString("reason") ?? "")
        case "record-appearance":
            command = .recordAppearance(
                source: try body.string("source"),
                guiDatasetNames: body.has("datasets_in_gui") ? try body.strings("datasets_in_gui") : [])
        case "set-flags":
            let component = try body.string("component")
            let flag = Flag(
                try status(try body.string("status")), comment: try body.optionalString("comment") ?? "",
                cause: try body.optionalString("cause") ?? "")
            command = .setFlags(component: component, range: try range(body), flag: flag)
        case "release-override":
            let component = try body.string("component")
            command = .releaseManualOverride(component: component, range: try range(body))
        case "set-oms-bits":
            let bits = try body.objectField("bits")
            var values: [String: Bool?] = [:]
            for (k, v) in bits.object {
                switch v {
                case .bool(let b): values[k] = b
                case .null: values[k] = .some(nil)
                default: throw .badRequest("\(bits.path).\(k) must be true, false or null, not \(v.kindName)")
                }
            }
            command = .setOMSBits(values, range: try range(body), comment: try body.optionalString("comment") ?? "")
        case "set-luminosity":
            command = .setLuminosity(
                range: try range(body), recorded: try body.numbers("recorded"), delivered: try body.numbers("delivered"))
        case "set-prescale":
            command = .setPrescale(
                range: try range(body), index: try body.optionalInt("index"), name: try body.optionalString("name"))
        case "add-comment":
            let r: LumisectionRange? = body.has("start") || body.has("end") ? try range(body) : nil
            command = .addComment(try body.string("comment"), range: r, component: try body.optionalString("component"))
        default: throw unknown("dataset", name, datasetCommands)
        }
        return TranslatedCommand(command: .dataset(key, command))
    }

    package static func cycle(_ id: String, _ name: String, _ body: BodyReader) throws(APIError) -> TranslatedCommand {
        let command: CycleCommand
        switch name {
        case "create":
            var deadline: LedgerTimestamp? = nil
            if let text = try body.optionalString("deadline") {
                guard let t = LedgerTimestamp(iso8601: text) else {
                    throw .badRequest("body.deadline '\(text)' is not an ISO 8601 time (e.g. 2024-05-01T12:00:00Z)")
                }
                deadline = t
            }
            command = .create(
                name: try body.optionalString("name") ?? id, deadline: deadline, workspaces: try body.strings("workspaces"))
        case "add-datasets": command = .addDatasets(try datasetKeys(body, "datasets"))
        case "remove-datasets": command = .removeDatasets(try datasetKeys(body, "datasets"))
        case "set-state":
            let workspace = try body.string("workspace")
            let to = try body.string("to")
            guard let state = CycleWorkspaceState(rawValue: to.lowercased()) else {
                throw .unprocessable("invalid_state", "cycle state '\(to)' is not one of pending, completed")
            }
            command = .setWorkspaceState(workspace: workspace, to: state, reason: try body.optionalString("reason") ?? "")
        default: throw unknown("cycle", name, cycleCommands)
        }
        return TranslatedCommand(command: .cycle(id, command))
    }

    package static func config(_ name: String, _ body: BodyReader) throws(APIError) -> TranslatedCommand {
        let command: ConfigCommand
        switch name {
        case "set-permission":
            command = .setPermission(
                Permission(id: try body.int("id"), egroup: try body.string("egroup"), routes: try body.strings("routes")))
        case "remove-permission": command = .removePermission(id: try body.int("id"))
        case "set-datasets-accepted":
            command = .setDatasetsAcceptedRule(
                DatasetsAcceptedRule(
                    id: try body.int("id"), name: try body.string("name"), regexp: try body.string("regexp"),
                    runClass: try body.string("class"), runFrom: try body.optionalInt("run_from"),
                    runTo: try body.optionalInt("run_to"), enabled: try body.optionalBool("enabled") ?? true))
        case "remove-datasets-accepted": command = .removeDatasetsAcceptedRule(id: try body.int("id"))
        case "set-classifier":
            let kindText = try body.string("kind")
            guard let kind = Classifier.Kind(rawValue: kindText) else {
                throw .unprocessable(
                    "invalid_argument",
                    "classifier kind '\(kindText)' is not one of \(Classifier.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let statusText = try body.optionalString("status")
            command = .setClassifier(
                Classifier(
                    id: try body.int("id"), kind: kind, target: try body.optionalString("target") ?? "",
                    status: try statusText.map { (t: String) throws(APIError) in try status(t) },
                    logic: try body.string("logic"), priority: try body.optionalInt("priority"),
                    enabled: try body.optionalBool("enabled") ?? true))
        case "remove-classifier":
            let kindText = try body.string("kind")
            guard let kind = Classifier.Kind(rawValue: kindText) else {
                throw .unprocessable("invalid_argument", "classifier kind '\(kindText)' is unknown")
            }
            command = .removeClassifier(kind: kind, id: try body.int("id"))
        default: throw unknown("config", name, configCommands)
        }
        return TranslatedCommand(command: .config(command))
    }
}
