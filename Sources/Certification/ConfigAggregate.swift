public import LedgerCore

/// The decision state of one configuration set (classifiers, datasets-accepted rules, permissions or the component catalogue), folded from `config/<kind>`.
public struct ConfigAggregate: CertificationAggregate, Hashable {
    /// The configuration set.
    public let kind: ConfigKind
    /// The stream version after the last applied event.
    public private(set) var version: UInt64 = 0
    /// The classifiers by kind and id (classifiers stream).
    public private(set) var classifiers: [Classifier.Kind: [Int: Classifier]] = [:]
    /// The datasets-accepted rules by id (datasets-accepted stream).
    public private(set) var acceptedRules: [Int: DatasetsAcceptedRule] = [:]
    /// The permissions by id (permissions stream).
    public private(set) var permissions: [Int: Permission] = [:]
    /// The component catalogue (components stream); the CMS default until changed.
    public private(set) var catalogue: ComponentCatalogue = .cmsDefault

    /// Creates the aggregate of a configuration set with no events yet.
    public init(kind: ConfigKind) {
        self.kind = kind
    }

    /// The set's stream.
    public var stream: StreamName { .config(kind) }

    /// The datasets-accepted rules sorted by id.
    public var sortedAcceptedRules: [DatasetsAcceptedRule] { acceptedRules.values.sorted { $0.id < $1.id } }

    /// Applies one event of this set's stream; others are ignored.
    public mutating func apply(_ event: CertificationEvent, recordedAt: LedgerTimestamp, actorKind: ActorKind) {
        guard event.stream == stream else { return }
        version += 1
        switch event {
        case .classifierSet(let c): classifiers[c.kind, default: [:]][c.id] = c
        case .classifierRemoved(let k, let id): classifiers[k]?[id] = nil
        case .datasetsAcceptedRuleSet(let r): acceptedRules[r.id] = r
        case .datasetsAcceptedRuleRemoved(let id): acceptedRules[id] = nil
        case .permissionSet(let p): permissions[p.id] = p
        case .permissionRemoved(let id): permissions[id] = nil
        case .componentCatalogueChanged(let c): catalogue = c
        default: break
        }
    }

    /// Decodes and applies a recorded event of this set's stream.
    public mutating func apply(_ recorded: RecordedEvent) throws(CertificationError) {
        let event = try AggregateFold.decode(recorded, for: stream)
        apply(event, recordedAt: recorded.recordedAt, actorKind: recorded.actorKind)
        version = recorded.streamVersion
    }

    /// Decides a configuration edit: the events to append, or a typed rejection. Setting an item to
    /// its current value gives no event.
    public func decide(_ command: ConfigCommand, context: CommandContext) throws(CertificationError) -> [CertificationEvent] {
        guard command.kind == kind else {
            throw CertificationError(
                .invalidArgument, "a \(command.kind.rawValue) edit cannot go to the \(kind.rawValue) configuration")
        }
        switch command {
        case .setClassifier(let c):
            try c.validate()
            return classifiers[c.kind]?[c.id] == c ? [] : [.classifierSet(c)]
        case .removeClassifier(let k, let id):
            guard classifiers[k]?[id] != nil else {
                throw CertificationError(.notFound, "there is no \(k.rawValue) classifier \(id) to remove")
            }
            return [.classifierRemoved(kind: k, id: id)]
        case .setDatasetsAcceptedRule(let r):
            try r.validate()
            return acceptedRules[r.id] == r ? [] : [.datasetsAcceptedRuleSet(r)]
        case .removeDatasetsAcceptedRule(let id):
            guard acceptedRules[id] != nil else {
                throw CertificationError(.notFound, "there is no datasets-accepted rule \(id) to remove")
            }
            return [.datasetsAcceptedRuleRemoved(id: id)]
        case .setPermission(let p):
            try p.validate()
            return permissions[p.id] == p ? [] : [.permissionSet(p)]
        case .removePermission(let id):
            guard permissions[id] != nil else {
                throw CertificationError(.notFound, "there is no permission \(id) to remove")
            }
            return [.permissionRemoved(id: id)]
        case .changeComponentCatalogue(let c):
            try c.validate()
            return c == catalogue ? [] : [.componentCatalogueChanged(c)]
        }
    }
}
