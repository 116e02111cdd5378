/// A decoded event whose strings and payload borrow the bytes they were decoded from.
///
/// Decoding into a view parses and validates every field exactly as
/// ``CanonicalEventCodec/decode(_:)-(UnsafeRawBufferPointer)`` does (shortest varints, UTF-8, flags,
/// canonical payload) but allocates nothing, so replay and verification can walk millions of
/// events per second. Use ``materialize()`` to get an owned ``RecordedEvent``.
///
/// - Important: A view is valid only while the bytes it was decoded from are alive.
public struct EventView {
    /// The global sequence.
    public var sequence: UInt64
    /// The stream id's UTF-8 bytes.
    public var stream: UnsafeRawBufferPointer
    /// The stream version.
    public var streamVersion: UInt64
    /// The event type's UTF-8 bytes.
    public var type: UnsafeRawBufferPointer
    /// The payload schema version.
    public var schemaVersion: UInt32
    /// Whether a person or an automatic writer decided.
    public var actorKind: ActorKind
    /// The actor's UTF-8 bytes.
    public var actor: UnsafeRawBufferPointer
    /// When the event was recorded.
    public var recordedAt: LedgerTimestamp
    /// The reason's UTF-8 bytes.
    public var reason: UnsafeRawBufferPointer
    /// The 16 bytes of the correlation id, if any.
    public var correlationID: UnsafeRawBufferPointer?
    /// The 16 bytes of the causation id, if any.
    public var causationID: UnsafeRawBufferPointer?
    /// The idempotency key's UTF-8 bytes, if any.
    public var idempotencyKey: UnsafeRawBufferPointer?
    /// The canonical payload bytes.
    public var payload: UnsafeRawBufferPointer
    /// The whole canonical event.
    public var canonicalBytes: UnsafeRawBufferPointer

    /// Decodes and validates exactly one event from `bytes`.
    public init(decoding bytes: UnsafeRawBufferPointer) throws(DecodingError) {
        var r = ByteReader(bytes)
        let format = try r.readByte()
        guard format == CanonicalEventCodec.formatVersion else {
            throw DecodingError(.unknownTag, offset: 0, detail: "envelope format \(format)")
        }
        sequence = try r.readVarint()
        stream = try Self.readUTF8(&r)
        streamVersion = try r.readVarint()
        type = try Self.readUTF8(&r)
        let schemaOffset = r.offset
        let schema = try r.readVarint()
        guard schema <= UInt64(UInt32.max) else {
            throw DecodingError(.invalidValue, offset: schemaOffset, detail: "schema version")
        }
        schemaVersion = UInt32(schema)
        let kindOffset = r.offset
        guard let kind = ActorKind(rawValue: try r.readByte()) else {
            throw DecodingError(.unknownTag, offset: kindOffset, detail: "actor kind")
        }
        actorKind = kind
        actor = try Self.readUTF8(&r)
        recordedAt = LedgerTimestamp(microseconds: try r.readZigZag())
        reason = try Self.readUTF8(&r)
        let flagsOffset = r.offset
        let flags = try r.readByte()
        guard flags & ~7 == 0 else { throw DecodingError(.unknownTag, offset: flagsOffset, detail: "envelope flags") }
        correlationID = flags & 1 != 0 ? try r.readRaw(count: 16) : nil
        causationID = flags & 2 != 0 ? try r.readRaw(count: 16) : nil
        idempotencyKey = flags & 4 != 0 ? try Self.readUTF8(&r) : nil
        let payloadOffset = r.offset
        payload = try r.readBytesSlice()
        guard r.isAtEnd else { throw DecodingError(.trailingBytes, offset: r.offset) }
        do throws(DecodingError) {
            try CanonicalValue.validate(payload)
        } catch {
            throw DecodingError(error.kind, offset: payloadOffset + error.offset, detail: "payload")
        }
        canonicalBytes = bytes
    }

    @inline(__always)
    private static func readUTF8(_ r: inout ByteReader) throws(DecodingError) -> UnsafeRawBufferPointer {
        let start = r.offset
        let slice = try r.readBytesSlice()
        guard UTF8Validation.isValid(slice) else { throw DecodingError(.invalidUTF8, offset: start) }
        return slice
    }

    /// The event as an owned value.
    public func materialize() throws(DecodingError) -> RecordedEvent {
        try CanonicalEventCodec.decode(canonicalBytes)
    }

    /// The event type as a string.
    public var typeName: String { String(decoding: type.assumingMemoryBound(to: UInt8.self), as: UTF8.self) }
}
