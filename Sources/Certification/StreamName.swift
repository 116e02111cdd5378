/// The id of a certification stream: a run, a dataset, a configuration set or a cycle.
///
/// | stream | id |
/// |---|---|
/// | run | `run/355100` |
/// | dataset | `dataset/355100/online`, `dataset/355100//PromptReco/Collisions2022C/DQM` |
/// | configuration | `config/classifiers`, `config/datasets-accepted`, `config/permissions`, `config/components` |
/// | cycle | `cycle/ul2018-cycle-3` |
public enum StreamName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A run's stream, holding run attributes, state moves and run comments.
    case run(Int)
    /// A dataset's stream, holding its states, flags, OMS lumisection data and comments.
    case dataset(run: Int, name: String)
    /// A configuration set's stream.
    case config(ConfigKind)
    /// A cycle's stream.
    case cycle(String)

    /// The stream id used in the log.
    public var id: String {
        switch self {
        case .run(let n): return "run/\(n)"
        case .dataset(let run, let name): return "dataset/\(run)/\(name)"
        case .config(let kind): return "config/\(kind.rawValue)"
        case .cycle(let id): return "cycle/\(id)"
        }
    }

    public var description: String { id }

    public static func < (a: StreamName, b: StreamName) -> Bool { a.id.utf8.lexicographicallyPrecedes(b.id.utf8) }

    /// Parses a stream id back into a name, rejecting ids of other shapes.
    public init(parsing id: String) throws(CertificationError) {
        guard let slash = id.firstIndex(of: "/") else {
            throw CertificationError(.invalidArgument, "stream id '\(id)' has no category; expected run/, dataset/, config/ or cycle/")
        }
        let category = id[..<slash]
        let rest = id[id.index(after: slash)...]
        switch category {
        case "run":
            guard let n = TextRules.positiveInteger(rest) else {
                throw CertificationError(.invalidArgument, "stream id '\(id)' does not end in a run number")
            }
            self = .run(n)
        case "dataset":
            guard let cut = rest.firstIndex(of: "/"), let n = TextRules.positiveInteger(rest[..<cut]) else {
                throw CertificationError(.invalidArgument, "stream id '\(id)' is not dataset/<run>/<name>")
            }
            let name = String(rest[rest.index(after: cut)...])
            guard !name.isEmpty, !name.containsControlCharacters else {
                throw CertificationError(.invalidArgument, "stream id '\(id)' has an empty or invalid dataset name")
            }
            self = .dataset(run: n, name: name)
        case "config":
            guard let kind = ConfigKind(rawValue: String(rest)) else {
                let known = ConfigKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw CertificationError(.invalidArgument, "stream id '\(id)' names no configuration set; known: \(known)")
            }
            self = .config(kind)
        case "cycle":
            guard CycleID.isValid(String(rest)) else {
                throw CertificationError(.invalidArgument, "stream id '\(id)' has an invalid cycle id; \(CycleID.rule)")
            }
            self = .cycle(String(rest))
        default:
            throw CertificationError(
                .invalidArgument, "stream id '\(id)' has unknown category '\(category)'; expected run, dataset, config or cycle")
        }
    }

    /// The run number of a run or dataset stream.
    public var runNumber: Int? {
        switch self {
        case .run(let n), .dataset(let n, _): return n
        case .config, .cycle: return nil
        }
    }
}
