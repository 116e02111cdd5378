/// The processing pass a dataset belongs to (online, express, prompt or a re-reconstruction), derived from its name.
///
/// | dataset name | kind | era | version | key |
/// |---|---|---|---|---|
/// | `online` | online | – | – | `online` |
/// | `/Express/Collisions2024/DQM` | express | Collisions2024 | – | `express/Collisions2024` |
/// | `/PromptReco/Collisions2024A/DQM` | prompt | Collisions2024A | – | `prompt/Collisions2024A` |
/// | `/ReReco/Run2024A-v1/DQM` | rereco | Run2024A | v1 | `rereco/Run2024A-v1` |
/// | `/ReReco/Run2018A_UL2018/DQM` | rereco | Run2018A_UL2018 | – | `rereco/Run2018A_UL2018` |
///
/// The middle part of a ReReco name is read leniently: a trailing `-v<digits>` is the version and
/// everything before it is the era. Any other name is rejected with ``CertificationError/Code/invalidArgument``;
/// there is no catch-all kind.
public struct ProcessingPass: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The kinds of processing pass, in processing order.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Data certified online, during the run.
        case online
        /// The express reconstruction.
        case express
        /// The prompt reconstruction.
        case prompt
        /// A later re-reconstruction.
        case rereco

        var order: Int {
            switch self {
            case .online: return 0
            case .express: return 1
            case .prompt: return 2
            case .rereco: return 3
            }
        }

        public static func < (a: Kind, b: Kind) -> Bool { a.order < b.order }
    }

    /// The kind of pass.
    public let kind: Kind
    /// The era, e.g. `Collisions2024A`; nil for online.
    public let era: String?
    /// The re-reconstruction version, e.g. `v1`; nil when the name has none.
    public let version: String?

    /// The online pass.
    public static let online = ProcessingPass(kind: .online, era: nil, version: nil)

    /// Creates a pass from its parts; the era is required for every kind but online.
    init(kind: Kind, era: String?, version: String?) {
        self.kind = kind
        self.era = era
        self.version = version
    }

    /// The stable string key, e.g. `prompt/Collisions2024A` or `rereco/Run2024A-v1`.
    public var key: String {
        guard let era else { return kind.rawValue }
        if let version { return "\(kind.rawValue)/\(era)-\(version)" }
        return "\(kind.rawValue)/\(era)"
    }

    public var description: String { key }

    /// Derives the pass of a dataset name.
    public init(datasetName name: String) throws(CertificationError) {
        if name == DatasetKey.onlineName {
            self = .online
            return
        }
        let expected =
            "expected 'online', '/Express/<era>/DQM', '/PromptReco/<era>/DQM' or '/ReReco/<era>[-v<n>]/DQM'"
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[3] == "DQM" else {
            throw CertificationError(.invalidArgument, "dataset name '\(name)' fits no processing pass; \(expected)")
        }
        let middle = String(parts[2])
        switch parts[1].lowercased() {
        case "express":
            guard TextRules.isSimpleToken(middle, allowDot: false, allowDash: false) else {
                throw CertificationError(.invalidArgument, "dataset name '\(name)' has an invalid express era; \(expected)")
            }
            self.init(kind: .express, era: middle, version: nil)
        case "promptreco":
            guard TextRules.isSimpleToken(middle, allowDot: false, allowDash: false) else {
                throw CertificationError(.invalidArgument, "dataset name '\(name)' has an invalid prompt era; \(expected)")
            }
            self.init(kind: .prompt, era: middle, version: nil)
        case "rereco":
            guard TextRules.isSimpleToken(middle, allowDot: false) else {
                throw CertificationError(.invalidArgument, "dataset name '\(name)' has an invalid ReReco era; \(expected)")
            }
            let (era, version) = Self.splitVersion(middle)
            guard !era.isEmpty else {
                throw CertificationError(.invalidArgument, "dataset name '\(name)' has no ReReco era; \(expected)")
            }
            self.init(kind: .rereco, era: era, version: version)
        default:
            throw CertificationError(
                .invalidArgument, "dataset name '\(name)' has unknown processing '\(parts[1])'; \(expected)")
        }
    }

    /// Parses a key written by ``key`` back into a pass.
    public init?(key: String) {
        if key == Kind.online.rawValue {
            self = .online
            return
        }
        guard let slash = key.firstIndex(of: "/"), let kind = Kind(rawValue: String(key[..<slash])), kind != .online
        else { return nil }
        let rest = String(key[key.index(after: slash)...])
        let name: String
        switch kind {
        case .express: name = "/Express/\(rest)/DQM"
        case .prompt: name = "/PromptReco/\(rest)/DQM"
        case .rereco: name = "/ReReco/\(rest)/DQM"
        case .online: return nil
        }
        guard let pass = try? ProcessingPass(datasetName: name), pass.key == key else { return nil }
        self = pass
    }

    /// Splits `Run2024A-v1` into (`Run2024A`, `v1`); names without a `-v<digits>` suffix have no version.
    private static func splitVersion(_ middle: String) -> (String, String?) {
        guard let dash = middle.lastIndex(of: "-") else { return (middle, nil) }
        let suffix = middle[middle.index(after: dash)...]
        guard suffix.count >= 2, suffix.first == "v", suffix.dropFirst().allSatisfy(\.isASCII),
            suffix.dropFirst().allSatisfy(\.isNumber)
        else { return (middle, nil) }
        return (String(middle[..<dash]), String(suffix))
    }

    private var versionNumber: Int { version.flatMap { Int($0.dropFirst()) } ?? 0 }

    public static func < (a: ProcessingPass, b: ProcessingPass) -> Bool {
        if a.kind != b.kind { return a.kind < b.kind }
        let ea = a.era ?? ""
        let eb = b.era ?? ""
        if ea != eb { return ea.utf8.lexicographicallyPrecedes(eb.utf8) }
        if a.versionNumber != b.versionNumber { return a.versionNumber < b.versionNumber }
        return (a.version ?? "").utf8.lexicographicallyPrecedes((b.version ?? "").utf8)
    }
}
