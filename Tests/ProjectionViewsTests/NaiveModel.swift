import Certification
import LedgerCore
import ProjectionViews
import Testing

/// What the views should hold, recomputed per lumisection from the recorded log and the aggregates:
/// the slow, obviously-correct reference the property tests compare against.
struct NaiveModel {
    struct Decision: Equatable {
        var flag: Flag
        var sequence: UInt64
    }

    /// Per dataset and component: automatic and manual layers as per-LS arrays (index LS).
    var automatic: [DatasetKey: [String: [Decision?]]] = [:]
    var manual: [DatasetKey: [String: [Decision?]]] = [:]
    /// Per run and bit: the online OMS bit per LS (outer nil = never set).
    var bits: [Int: [String: [Bool??]]] = [:]
    /// Per run: recorded and delivered per LS (index LS − 1).
    var recorded: [Int: [Double]] = [:]
    var delivered: [Int: [Double]] = [:]
    let maxLS = 64

    init(log: [(RecordedEvent, CertificationEvent)]) {
        for (recorded, event) in log {
            switch event {
            case .lumisectionFlagsSet(let k, let c, let r, let flag, _):
                let d = Decision(flag: flag, sequence: recorded.sequence)
                if recorded.actorKind == .human {
                    for l in r.closedRange { manual[k, default: [:]][c, default: Array(repeating: nil, count: maxLS + 1)][l] = d }
                } else {
                    for l in r.closedRange { automatic[k, default: [:]][c, default: Array(repeating: nil, count: maxLS + 1)][l] = d }
                }
            case .manualOverrideReleased(let k, let c, let r):
                for l in r.closedRange { manual[k, default: [:]][c, default: Array(repeating: nil, count: maxLS + 1)][l] = nil }
            case .omsLumisectionBitsSet(let k, let r, let values, _) where k.isOnline:
                for (bit, v) in values {
                    for l in r.closedRange { bits[k.run, default: [:]][bit, default: Array(repeating: nil, count: maxLS + 1)][l] = .some(v) }
                }
            case .omsLuminositySet(let k, let r, let rec, let del):
                var a = self.recorded[k.run] ?? []
                var b = self.delivered[k.run] ?? []
                while a.count < r.last { a.append(0); b.append(0) }
                for (i, l) in r.closedRange.enumerated() {
                    a[l - 1] = rec[i]
                    b[l - 1] = del[i]
                }
                self.recorded[k.run] = a
                self.delivered[k.run] = b
            default:
                break
            }
        }
    }

    func components(_ k: DatasetKey) -> Set<String> {
        Set((automatic[k] ?? [:]).keys).union((manual[k] ?? [:]).keys)
    }

    func effective(_ k: DatasetKey, _ c: String, _ l: Int) -> (Decision, FlagLayers.Source)? {
        if let m = manual[k]?[c]?[l] { return (m, .manual) }
        if let a = automatic[k]?[c]?[l] { return (a, .automatic) }
        return nil
    }

    func recorded(_ run: Int, _ l: Int) -> Double {
        let a = recorded[run] ?? []
        return l - 1 < a.count ? a[l - 1] : 0
    }

    /// The certified lumisections of a group of a dataset: where every component of the group with any
    /// effective flag is GOOD (none when no component has flags).
    func certified(_ k: DatasetKey, group: String, workspaces: Set<String>) -> [Int] {
        let members = components(k).filter { c in
            guard group != "global" else { return true }
            return ComponentKey.workspace(of: c) == group
        }.filter { c in (1...maxLS).contains { effective(k, c, $0) != nil } }
        guard !members.isEmpty else { return [] }
        return (1...maxLS).filter { l in members.allSatisfy { effective(k, $0, l)?.0.flag.status == .good } }
    }
}
