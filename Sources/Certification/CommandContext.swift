public import LedgerCore

/// Who issues a command, when, and for automatic writers which rule (and version) decided it.
public struct CommandContext: Sendable, Hashable {
    /// The identity: an e-mail, a service account or a classifier id.
    public var actor: String
    /// Whether the actor is a person or an automatic writer; human flags override automatic ones.
    public var actorKind: ActorKind
    /// The time of the command (events take the log's recorded-at time; this is for checks).
    public var time: LedgerTimestamp
    /// The rule or rule version of an automatic writer, e.g. `component-classifier/17@3`.
    public var rule: String?

    /// Creates a context.
    public init(actor: String, actorKind: ActorKind, time: LedgerTimestamp, rule: String? = nil) {
        self.actor = actor
        self.actorKind = actorKind
        self.time = time
        self.rule = rule
    }
}
