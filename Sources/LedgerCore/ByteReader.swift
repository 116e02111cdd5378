/// A cursor over borrowed bytes that reads RunLedger's canonical encoding strictly.
///
/// Every read checks bounds and shortest-form encodings, so a corrupt or truncated record throws
/// ``DecodingError`` with the byte offset instead of crashing or decoding to a different value.
///
/// - Important: The reader borrows its buffer; it is valid only while that buffer is alive.
public struct ByteReader {
    /// The buffer being read.
    public let buffer: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    public var offset: Int

    /// Creates a reader at the start of `buffer`.
    public init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    /// Whether every byte has been read.
    @inlinable
    public var isAtEnd: Bool { offset >= buffer.count }

    /// The number of bytes left to read.
    @inlinable
    public var remaining: Int { buffer.count - offset }

    /// Reads one byte.
    @inlinable
    public mutating func readByte() throws(DecodingError) -> UInt8 {
        guard offset < buffer.count else { throw DecodingError(.truncated, offset: offset) }
        let b = buffer[offset]
        offset += 1
        return b
    }

    /// Reads a shortest-form LEB128 varint of at most 64 bits.
    @inlinable @inline(__always)
    public mutating func readVarint() throws(DecodingError) -> UInt64 {
        if offset < buffer.count {
            let b = buffer[offset]
            if b < 0x80 {
                offset += 1
                return UInt64(b)
            }
        }
        return try readMultiByteVarint()
    }

    @usableFromInline
    mutating func readMultiByteVarint() throws(DecodingError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < buffer.count else { throw DecodingError(.truncated, offset: start) }
            let b = buffer[offset]
            offset += 1
            if shift == 63 && b > 1 { throw DecodingError(.varintOverflow, offset: start) }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 {
                if b == 0 && shift > 0 { throw DecodingError(.nonCanonicalVarint, offset: start) }
                return result
            }
            shift += 7
        }
    }

    /// Reads a zigzag varint as a signed integer.
    @inlinable
    public mutating func readZigZag() throws(DecodingError) -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads a varint that must fit in an `Int` length and in the remaining bytes.
    @inlinable
    public mutating func readLength() throws(DecodingError) -> Int {
        let start = offset
        let raw = try readVarint()
        guard raw <= UInt64(remaining) else { throw DecodingError(.lengthOutOfBounds, offset: start) }
        return Int(raw)
    }

    /// Reads a length-prefixed string that must be valid UTF-8.
    @inlinable
    public mutating func readString() throws(DecodingError) -> String {
        let start = offset
        let slice = try readBytesSlice()
        guard UTF8Validation.isValid(slice) else { throw DecodingError(.invalidUTF8, offset: start) }
        return String(decoding: slice.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }

    /// Reads a length-prefixed string that must be valid UTF-8, without building it.
    @inlinable
    public mutating func skipString() throws(DecodingError) {
        let start = offset
        let slice = try readBytesSlice()
        guard UTF8Validation.isValid(slice) else { throw DecodingError(.invalidUTF8, offset: start) }
    }

    /// Reads a length-prefixed byte string as a borrowed slice.
    @inlinable
    public mutating func readBytesSlice() throws(DecodingError) -> UnsafeRawBufferPointer {
        let count = try readLength()
        let slice = UnsafeRawBufferPointer(start: buffer.baseAddress.map { $0 + offset }, count: count)
        offset += count
        return slice
    }

    /// Reads `count` raw bytes as a borrowed slice.
    @inlinable
    public mutating func readRaw(count: Int) throws(DecodingError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else { throw DecodingError(.truncated, offset: offset) }
        let slice = UnsafeRawBufferPointer(start: buffer.baseAddress.map { $0 + offset }, count: count)
        offset += count
        return slice
    }

    /// Reads 8 big-endian bytes as an unsigned integer.
    @inlinable
    public mutating func readUInt64BigEndian() throws(DecodingError) -> UInt64 {
        let raw = try readRaw(count: 8)
        return UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self))
    }
}

/// A strict UTF-8 validator with an ASCII fast path (RFC 3629: no overlongs, no surrogates).
public enum UTF8Validation {
    /// Whether `bytes` are well-formed UTF-8.
    @inlinable
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            if base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        while i < n {
            let b0 = base.load(fromByteOffset: i, as: UInt8.self)
            if b0 < 0x80 {
                i += 1
                continue
            }
            @inline(__always) func cont(_ k: Int) -> UInt8? {
                guard i + k < n else { return nil }
                let b = base.load(fromByteOffset: i + k, as: UInt8.self)
                return b & 0xC0 == 0x80 ? b : nil
            }
            switch b0 {
            case 0xC2...0xDF:
                guard cont(1) != nil else { return false }
                i += 2
            case 0xE0...0xEF:
                guard let b1 = cont(1), cont(2) != nil else { return false }
                if b0 == 0xE0 && b1 < 0xA0 { return false }
                if b0 == 0xED && b1 > 0x9F { return false }
                i += 3
            case 0xF0...0xF4:
                guard let b1 = cont(1), cont(2) != nil, cont(3) != nil else { return false }
                if b0 == 0xF0 && b1 < 0x90 { return false }
                if b0 == 0xF4 && b1 > 0x8F { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }
}

/// A failure to decode canonical bytes: what was wrong and at which byte offset.
public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of decoding failure.
    public enum Kind: String, Sendable {
        /// The bytes ended in the middle of a value.
        case truncated = "truncated value"
        /// A varint had more than 64 bits.
        case varintOverflow = "varint overflows 64 bits"
        /// A varint was not in its shortest form.
        case nonCanonicalVarint = "varint is not in shortest form"
        /// A length prefix points past the end of the buffer.
        case lengthOutOfBounds = "length prefix exceeds the record"
        /// A string was not valid UTF-8.
        case invalidUTF8 = "string is not valid UTF-8"
        /// A tag or format byte had a value that the format does not define.
        case unknownTag = "unknown tag or format byte"
        /// A map's keys were not strictly ascending.
        case unsortedKeys = "map keys are not strictly ascending"
        /// Bytes were left over after the value.
        case trailingBytes = "trailing bytes after the value"
        /// A field had a value outside its allowed range.
        case invalidValue = "field value out of range"
        /// Values were nested deeper than allowed.
        case tooDeep = "values nested too deeply"
    }

    /// What was wrong.
    public let kind: Kind
    /// The byte offset at which the problem was found.
    public let offset: Int
    /// Extra context, such as the field name.
    public let detail: String

    /// Creates a decoding error.
    public init(_ kind: Kind, offset: Int, detail: String = "") {
        self.kind = kind
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        detail.isEmpty ? "\(kind.rawValue) at byte \(offset)" : "\(kind.rawValue) at byte \(offset) (\(detail))"
    }
}
