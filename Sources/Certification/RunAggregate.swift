public import LedgerCore

/// The decision state of one run: its attributes, state and lumisection count, folded from `run/<n>`.
public struct RunAggregate: CertificationAggregate, Hashable {
    /// The run number.
    public let runNumber: Int
    /// The stream version after the last applied event.
    public private(set) var version: UInt64 = 0
    /// Whether the run was created.
    public private(set) var exists = false
    /// The OMS attributes (open-ended).
    public private(set) var omsAttributes: [String: CanonicalValue] = [:]
    /// The run class, `""` until classified.
    public private(set) var runClass = ""
    /// The run state.
    public private(set) var state: RunState = .open
    /// Whether the run is significant.
    public private(set) var significant = false
    /// The stop reason.
    public private(set) var stopReason = ""
    /// The number of lumisections, nil until set.
    public private(set) var lumisectionCount: Int?
    /// When the run was created.
    public private(set) var createdAt: LedgerTimestamp?
    /// When the last event was recorded.
    public private(set) var updatedAt: LedgerTimestamp?

    /// Creates the aggregate of a run with no events yet.
    public init(runNumber: Int) {
        self.runNumber = runNumber
    }

    /// The run's stream.
    public var stream: StreamName { .run(runNumber) }

    /// Applies one event of this run's stream; others are ignored.
    public mutating func apply(_ event: CertificationEvent, recordedAt: LedgerTimestamp, actorKind: ActorKind) {
        guard event.stream == stream else { return }
        version += 1
        updatedAt = recordedAt
        switch event {
        case .runCreated(_, let oms, let runClass, let significant):
            exists = true
            createdAt = recordedAt
            omsAttributes = oms
            self.runClass = runClass
            self.significant = significant
            state = .open
            stopReason = ""
        case .runOMSAttributesSet(_, let attributes):
            omsAttributes.merge(attributes) { _, new in new }
        case .runClassSet(_, let runClass):
            self.runClass = runClass
        case .runSignificanceSet(_, let significant):
            self.significant = significant
        case .runStopReasonSet(_, let stopReason):
            self.stopReason = stopReason
        case .runStateMoved(_, _, let to, _):
            state = to
        case .runLumisectionCountSet(_, let count):
            lumisectionCount = count
        default:
            break
        }
    }

    /// Decodes and applies a recorded event of this run's stream.
    public mutating func apply(_ recorded: RecordedEvent) throws(CertificationError) {
        let event = try AggregateFold.decode(recorded, for: stream)
        apply(event, recordedAt: recorded.recordedAt, actorKind: recorded.actorKind)
        version = recorded.streamVersion
    }
}
