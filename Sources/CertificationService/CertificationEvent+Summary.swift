public import Certification

extension CertificationEvent {
    /// One line for people: what the event decided, e.g. `tracker-pixel LS 10–50 → BAD "HV trip" (Hardware)`.
    public var summary: String {
        switch self {
        case .runCreated(let run, _, let runClass, let significant):
            return "run \(run) created, class '\(runClass)', \(significant ? "significant" : "not significant")"
        case .runOMSAttributesSet(_, let attributes):
            return "OMS attributes " + attributes.keys.sorted().prefix(6).joined(separator: ", ")
                + (attributes.count > 6 ? " and \(attributes.count - 6) more" : "")
        case .runClassSet(_, let runClass): return "class → '\(runClass)'"
        case .runSignificanceSet(_, let significant): return significant ? "marked significant" : "marked not significant"
        case .runStopReasonSet(_, let reason): return "stop reason → '\(reason)'"
        case .runStateMoved(_, let from, let to, let reason):
            return "state \(from.rawValue) → \(to.rawValue)" + (reason.isEmpty ? "" : " (\(reason))")
        case .runLumisectionCountSet(_, let count): return "lumisection count → \(count)"
        case .datasetCreated(let key, _, let states, _): return "dataset \(key.name) created with \(states.count) workspaces"
        case .datasetWorkspaceStateMoved(_, let ws, let from, let to, let reason):
            return "\(ws): \(from.rawValue) → \(to.rawValue)" + (reason.isEmpty ? "" : " (\(reason))")
        case .datasetGlobalStateMoved(_, let from, let to, let reason):
            return "global: \(from.rawValue) → \(to.rawValue)" + (reason.isEmpty ? "" : " (\(reason))")
        case .datasetAppearedIn(_, let source, let names):
            return "appeared in \(source)" + (names.isEmpty ? "" : ": " + names.joined(separator: ", "))
        case .lumisectionFlagsSet(_, let component, let range, let flag, let rule):
            var text = "\(component) \(range) → \(flag.status.rawValue)"
            if !flag.comment.isEmpty { text += " \"\(flag.comment)\"" }
            if !flag.cause.isEmpty { text += " (\(flag.cause))" }
            if let rule { text += " [rule \(rule)]" }
            return text
        case .manualOverrideReleased(_, let component, let range):
            return "\(component) \(range): manual override released"
        case .omsLumisectionBitsSet(_, let range, let bits, let comment):
            let list = bits.keys.sorted().map { "\($0)=\(bits[$0]!.map { String($0) } ?? "null")" }.joined(separator: ", ")
            return "OMS \(range): \(list)" + (comment.isEmpty ? "" : " \"\(comment)\"")
        case .omsLuminositySet(_, let range, let recorded, let delivered):
            let r = recorded.reduce(0, +)
            let d = delivered.reduce(0, +)
            return "luminosity \(range): recorded \(Self.format(r)), delivered \(Self.format(d))"
        case .prescaleSet(_, let range, let index, let name):
            return "prescale \(range): \(index.map(String.init) ?? "null") \(name ?? "")"
        case .commentAdded(_, let text): return "comment: \(text)"
        case .cycleCreated(let cycle, let name, _, let ws): return "cycle \(cycle) '\(name)' created (\(ws.count) workspaces)"
        case .cycleDatasetsAdded(_, let datasets): return "\(datasets.count) datasets added"
        case .cycleDatasetsRemoved(_, let datasets): return "\(datasets.count) datasets removed"
        case .cycleWorkspaceStateSet(_, let ws, let state, let reason):
            return "\(ws) → \(state.rawValue)" + (reason.isEmpty ? "" : " (\(reason))")
        default:
            return typeName
        }
    }

    private static func format(_ v: Double) -> String {
        let rounded = (v * 1_000).rounded() / 1_000
        return String(rounded)
    }
}
