public import Foundation

/// The canonical binary encoding of a recorded event: the bytes the hash chain covers.
///
/// Layout (format 1), every integer a shortest-form LEB128 varint, every string a varint byte
/// length and UTF-8 bytes, see design/storage.md:
///
/// ```
/// u8 format=1 | seq | stream | streamVersion | type | schemaVersion | u8 actorKind | actor
/// | recordedAt (zigzag µs) | reason | u8 flags | [correlation 16B] [causation 16B]
/// [idempotencyKey] | payload (varint length + bytes)
/// ```
/// `flags` bit 0 says a correlation id follows, bit 1 a causation id, bit 2 an idempotency key;
/// other bits must be zero.
public enum CanonicalEventCodec {
    /// The envelope format byte this code writes.
    public static let formatVersion: UInt8 = 1

    /// Encodes `event` into its canonical bytes.
    public static func encode(_ event: RecordedEvent) -> [UInt8] {
        var w = ByteWriter(capacity: 96 + event.stream.utf8.count + event.reason.utf8.count + event.payload.count)
        encode(event, into: &w)
        return w.bytes
    }

    /// Appends the canonical bytes of `event` to `writer`.
    public static func encode(_ event: RecordedEvent, into w: inout ByteWriter) {
        encode(
            sequence: event.sequence, stream: event.stream, streamVersion: event.streamVersion, type: event.type,
            schemaVersion: event.schemaVersion, actorKind: event.actorKind, actor: event.actor,
            recordedAt: event.recordedAt, reason: event.reason, correlationID: event.correlationID,
            causationID: event.causationID, idempotencyKey: event.idempotencyKey, payload: event.payload, into: &w)
    }

    /// Appends the canonical bytes of an event given field by field (no intermediate value).
    @inline(__always)
    public static func encode(
        sequence: UInt64, stream: String, streamVersion: UInt64, type: String, schemaVersion: UInt32,
        actorKind: ActorKind, actor: String, recordedAt: LedgerTimestamp, reason: String, correlationID: UUID?,
        causationID: UUID?, idempotencyKey: String?, payload: [UInt8], into w: inout ByteWriter
    ) {
        encodeHead(
            sequence: sequence, stream: stream, streamVersion: streamVersion, type: type, schemaVersion: schemaVersion,
            into: &w)
        encodeMiddle(
            actorKind: actorKind, actor: actor, recordedAt: recordedAt, reason: reason, correlationID: correlationID,
            causationID: causationID, idempotencyKey: idempotencyKey, into: &w)
        w.writeBytes(payload)
    }

    /// Appends fields 1–6 (format through schema version): what differs between events of a batch.
    @inline(__always)
    public static func encodeHead(
        sequence: UInt64, stream: String, streamVersion: UInt64, type: String, schemaVersion: UInt32,
        into w: inout ByteWriter
    ) {
        w.writeByte(formatVersion)
        w.writeVarint(sequence)
        w.writeString(stream)
        w.writeVarint(streamVersion)
        w.writeString(type)
        w.writeVarint(UInt64(schemaVersion))
    }

    /// Appends fields 7–14 (actor kind through idempotency key): what a batch's events share.
    @inline(__always)
    public static func encodeMiddle(
        actorKind: ActorKind, actor: String, recordedAt: LedgerTimestamp, reason: String, correlationID: UUID?,
        causationID: UUID?, idempotencyKey: String?, into w: inout ByteWriter
    ) {
        w.writeByte(actorKind.rawValue)
        w.writeString(actor)
        w.writeZigZag(recordedAt.microseconds)
        w.writeString(reason)
        var flags: UInt8 = 0
        if correlationID != nil { flags |= 1 }
        if causationID != nil { flags |= 2 }
        if idempotencyKey != nil { flags |= 4 }
        w.writeByte(flags)
        if let id = correlationID { writeUUID(id, into: &w) }
        if let id = causationID { writeUUID(id, into: &w) }
        if let key = idempotencyKey { w.writeString(key) }
    }

    /// Decodes one event from exactly `bytes`; trailing bytes are an error.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodingError) -> RecordedEvent {
        var r = ByteReader(bytes)
        let event = try decode(from: &r)
        guard r.isAtEnd else { throw DecodingError(.trailingBytes, offset: r.offset) }
        return event
    }

    /// Decodes one event from `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> RecordedEvent {
        let result = bytes.withUnsafeBytes { raw -> Result<RecordedEvent, DecodingError> in
            do throws(DecodingError) { return .success(try decode(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Decodes one event at the reader's position.
    public static func decode(from r: inout ByteReader) throws(DecodingError) -> RecordedEvent {
        let start = r.offset
        let format = try r.readByte()
        guard format == formatVersion else {
            throw DecodingError(.unknownTag, offset: start, detail: "envelope format \(format)")
        }
        let sequence = try r.readVarint()
        let stream = try r.readString()
        let streamVersion = try r.readVarint()
        let type = try r.readString()
        let schemaOffset = r.offset
        let schema = try r.readVarint()
        guard schema <= UInt64(UInt32.max) else {
            throw DecodingError(.invalidValue, offset: schemaOffset, detail: "schema version")
        }
        let kindOffset = r.offset
        guard let kind = ActorKind(rawValue: try r.readByte()) else {
            throw DecodingError(.unknownTag, offset: kindOffset, detail: "actor kind")
        }
        let actor = try r.readString()
        let recordedAt = try r.readZigZag()
        let reason = try r.readString()
        let flagsOffset = r.offset
        let flags = try r.readByte()
        guard flags & ~7 == 0 else { throw DecodingError(.unknownTag, offset: flagsOffset, detail: "envelope flags") }
        let correlation = flags & 1 != 0 ? try readUUID(&r) : nil
        let causation = flags & 2 != 0 ? try readUUID(&r) : nil
        let key = flags & 4 != 0 ? try r.readString() : nil
        let payload = try r.readBytesSlice()
        return RecordedEvent(
            sequence: sequence, stream: stream, streamVersion: streamVersion, type: type,
            schemaVersion: UInt32(schema), actor: actor, actorKind: kind,
            recordedAt: LedgerTimestamp(microseconds: recordedAt), reason: reason,
            correlationID: correlation, causationID: causation, idempotencyKey: key,
            payload: Array(payload)
        )
    }

    private static func writeUUID(_ id: UUID, into w: inout ByteWriter) {
        withUnsafeBytes(of: id.uuid) { w.writeRaw($0) }
    }

    private static func readUUID(_ r: inout ByteReader) throws(DecodingError) -> UUID {
        let raw = try r.readRaw(count: 16)
        var tuple: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &tuple) { $0.copyMemory(from: raw) }
        return UUID(uuid: tuple)
    }
}
