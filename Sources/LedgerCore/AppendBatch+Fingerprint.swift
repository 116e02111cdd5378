import Crypto

extension AppendBatch {
    /// A SHA-256 digest of what the batch decides, used to tell a retry from a reused idempotency key.
    ///
    /// It covers the actor, actor kind, reason and every event's stream, type, schema, reason and
    /// payload; it leaves out the correlation and causation ids and the recorded-at time, which a
    /// retrying client may legitimately change.
    public var fingerprint: [UInt8] {
        var w = ByteWriter(capacity: 256)
        w.writeString(actor)
        w.writeByte(actorKind.rawValue)
        w.writeString(reason)
        w.writeVarint(UInt64(events.count))
        for e in events {
            w.writeString(e.stream)
            w.writeString(e.type)
            w.writeVarint(UInt64(e.schemaVersion))
            if let r = e.reason {
                w.writeByte(1)
                w.writeString(r)
            } else {
                w.writeByte(0)
            }
            w.writeBytes(e.payload)
        }
        for key in expectations.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            w.writeString(key)
            w.writeString(expectations[key]!.description)
        }
        return Array(SHA256.hash(data: w.bytes))
    }
}

/// The head of the log: its last sequence, the chain link after it, and when it was recorded.
public struct LogHead: Sendable, Hashable {
    /// The last sequence, 0 for an empty log.
    public var sequence: UInt64
    /// The chain link after the last event (``ChainHash/genesis`` for an empty log).
    public var link: ChainHash
    /// When the last event was recorded; nil for an empty log.
    public var recordedAt: LedgerTimestamp?

    /// Creates a head.
    public init(sequence: UInt64, link: ChainHash, recordedAt: LedgerTimestamp?) {
        self.sequence = sequence
        self.link = link
        self.recordedAt = recordedAt
    }
}
