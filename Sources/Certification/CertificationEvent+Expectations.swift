public import LedgerCore

extension [CertificationEvent] {
    /// The expected versions an append of these events needs: `aggregateVersion` for the deciding
    /// aggregate's stream, "no stream" for streams the events create, and "stream exists" for others.
    public func expectations(aggregateStream: StreamName, aggregateVersion: UInt64) -> [String: ExpectedVersion] {
        var out: [String: ExpectedVersion] = [:]
        for event in self {
            let stream = event.stream
            if stream == aggregateStream {
                out[stream.id] = .exact(aggregateVersion)
            } else if out[stream.id] == nil {
                out[stream.id] = event.createsStream ? .noStream : .streamExists
            }
        }
        return out
    }
}
