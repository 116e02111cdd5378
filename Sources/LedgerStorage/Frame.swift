import LedgerCore

/// A frame: the stored value under one key of the `events` database, holding consecutive events.
///
/// Layout (frame format 1), see design/storage.md:
/// ```
/// u8 format=1 | varint dictionaryID (0 = none) | varint eventCount | varint rawLength
/// | 32 bytes chain link after the frame's last event | zstd frame of rawLength bytes
/// ```
/// The raw bytes are `eventCount` × (varint length ‖ canonical event bytes). The frame's key is
/// its first sequence; the events inside have the following sequences, without gaps.
struct FrameHeader {
    static let formatVersion: UInt8 = 1
    var dictionaryID: UInt32
    var eventCount: Int
    var rawLength: Int
    var endLink: ChainHash
    /// Where the zstd frame starts in the stored value.
    var payloadOffset: Int

    /// Parses a frame header, checking every field's range.
    static func parse(_ value: UnsafeRawBufferPointer) throws(LedgerError) -> FrameHeader {
        var r = ByteReader(value)
        do throws(DecodingError) {
            let format = try r.readByte()
            guard format == formatVersion else {
                throw DecodingError(.unknownTag, offset: 0, detail: "frame format \(format)")
            }
            let dict = try r.readVarint()
            let count = try r.readVarint()
            let raw = try r.readVarint()
            guard dict <= UInt64(UInt32.max), count >= 1, count <= 1 << 20, raw <= 1 << 30 else {
                throw DecodingError(.invalidValue, offset: 1, detail: "frame header")
            }
            let link = try r.readRaw(count: 32)
            return FrameHeader(
                dictionaryID: UInt32(dict), eventCount: Int(count), rawLength: Int(raw),
                endLink: ChainHash(raw: link)!, payloadOffset: r.offset)
        } catch {
            throw LedgerError(.corruption, "frame header is unreadable: \(error)")
        }
    }

    /// Writes the header and appends the compressed frame of `raw`.
    static func encode(
        raw: [UInt8], eventCount: Int, endLink: ChainHash, dictionary: ZstdDictionary?, compressor: ZstdCompressor
    ) throws -> [UInt8] {
        var w = ByteWriter(capacity: raw.count / 3 + 64)
        w.writeByte(formatVersion)
        w.writeVarint(UInt64(dictionary?.id ?? 0))
        w.writeVarint(UInt64(eventCount))
        w.writeVarint(UInt64(raw.count))
        w.writeRaw(endLink.bytes)
        var out = w.bytes
        try raw.withUnsafeBytes { r in
            try compressor.compress(r, dictionary: dictionary, into: &out)
        }
        return out
    }
}

/// Walks the canonical events inside a decompressed frame.
struct FrameEvents {
    /// Calls `body` with each event's canonical bytes, in order.
    static func forEach(
        raw: UnsafeRawBufferPointer, count: Int, _ body: (Int, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var r = ByteReader(raw)
        for index in 0..<count {
            let slice: UnsafeRawBufferPointer
            do throws(DecodingError) {
                slice = try r.readBytesSlice()
            } catch {
                throw LedgerError(.corruption, "event \(index) of the frame is truncated: \(error)")
            }
            try body(index, slice)
        }
        guard r.isAtEnd else {
            throw LedgerError(.corruption, "the frame has \(r.remaining) bytes after its \(count) events")
        }
    }
}
