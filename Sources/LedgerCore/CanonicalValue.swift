import Foundation

/// A self-describing payload value with exactly one byte encoding.
///
/// Payloads are stored in this form so that any event can be decoded, shown and upcast without
/// the code that wrote it. Tags (one byte each):
///
/// | tag | value | body |
/// |---|---|---|
/// | 0 | null | – |
/// | 1 | false | – |
/// | 2 | true | – |
/// | 3 | integer | zigzag varint |
/// | 4 | double | 8 bytes IEEE 754, big-endian; NaN and -0.0 are not allowed |
/// | 5 | string | varint length + UTF-8 |
/// | 6 | bytes | varint length + bytes |
/// | 7 | array | varint count + values |
/// | 8 | map | varint count + (string key, value) pairs, keys strictly ascending by UTF-8 bytes |
public enum CanonicalValue: Sendable, Hashable {
    /// The absent value.
    case null
    /// A boolean.
    case bool(Bool)
    /// A signed 64-bit integer.
    case int(Int64)
    /// A finite double that is not an integer-valued number better written as `int`.
    case double(Double)
    /// A UTF-8 string.
    case string(String)
    /// Raw bytes.
    case bytes([UInt8])
    /// An ordered list.
    case array([CanonicalValue])
    /// A map with string keys; the encoding sorts the keys.
    case map([String: CanonicalValue])

    /// The maximum nesting depth the decoder accepts.
    public static let maximumDepth = 64

    /// The canonical bytes of this value.
    public var encoded: [UInt8] {
        var w = ByteWriter(capacity: 64)
        encode(into: &w)
        return w.bytes
    }

    /// Appends the canonical bytes of this value to `w`.
    public func encode(into w: inout ByteWriter) {
        switch self {
        case .null: w.writeByte(0)
        case .bool(let b): w.writeByte(b ? 2 : 1)
        case .int(let i):
            w.writeByte(3)
            w.writeZigZag(i)
        case .double(let d):
            let normalized = d == 0 ? 0.0 : d
            w.writeByte(4)
            w.writeUInt64BigEndian(normalized.isNaN ? Double.infinity.bitPattern : normalized.bitPattern)
        case .string(let s):
            w.writeByte(5)
            w.writeString(s)
        case .bytes(let b):
            w.writeByte(6)
            w.writeBytes(b)
        case .array(let items):
            w.writeByte(7)
            w.writeVarint(UInt64(items.count))
            for item in items { item.encode(into: &w) }
        case .map(let entries):
            w.writeByte(8)
            w.writeVarint(UInt64(entries.count))
            for key in entries.keys.sorted(by: Self.utf8Less) {
                w.writeString(key)
                entries[key]!.encode(into: &w)
            }
        }
    }

    /// Decodes a value that must span all of `bytes`.
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> CanonicalValue {
        let result = bytes.withUnsafeBytes { raw -> Result<CanonicalValue, DecodingError> in
            do throws(DecodingError) {
                var r = ByteReader(raw)
                let v = try decode(from: &r, depth: 0)
                guard r.isAtEnd else { throw DecodingError(.trailingBytes, offset: r.offset) }
                return .success(v)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Decodes one value at the reader's position.
    public static func decode(from r: inout ByteReader, depth: Int) throws(DecodingError) -> CanonicalValue {
        guard depth < maximumDepth else { throw DecodingError(.tooDeep, offset: r.offset) }
        let tagOffset = r.offset
        switch try r.readByte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try r.readZigZag())
        case 4:
            let d = Double(bitPattern: try r.readUInt64BigEndian())
            guard !d.isNaN, d.bitPattern != (-0.0 as Double).bitPattern else {
                throw DecodingError(.invalidValue, offset: tagOffset, detail: "double")
            }
            return .double(d)
        case 5: return .string(try r.readString())
        case 6: return .bytes(Array(try r.readBytesSlice()))
        case 7:
            let count = try r.readLength()
            var items: [CanonicalValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try decode(from: &r, depth: depth + 1)) }
            return .array(items)
        case 8:
            let count = try r.readLength()
            var entries: [String: CanonicalValue] = [:]
            entries.reserveCapacity(count)
            var previous: UnsafeRawBufferPointer? = nil
            for _ in 0..<count {
                let keyOffset = r.offset
                let keyBytes = try r.readBytesSlice()
                if let p = previous, !lexicographicallyLess(p, keyBytes) {
                    throw DecodingError(.unsortedKeys, offset: keyOffset)
                }
                previous = keyBytes
                guard UTF8Validation.isValid(keyBytes) else { throw DecodingError(.invalidUTF8, offset: keyOffset) }
                let key = String(decoding: keyBytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
                entries[key] = try decode(from: &r, depth: depth + 1)
            }
            return .map(entries)
        default:
            throw DecodingError(.unknownTag, offset: tagOffset, detail: "payload value tag")
        }
    }

    /// Checks that `bytes` hold exactly one canonical value, without building it.
    public static func validate(_ bytes: UnsafeRawBufferPointer) throws(DecodingError) {
        var r = ByteReader(bytes)
        try skip(&r, depth: 0)
        guard r.isAtEnd else { throw DecodingError(.trailingBytes, offset: r.offset) }
    }

    /// Describes why `bytes` are not exactly one canonical value, or returns nil when they are.
    public static func validationProblem(_ bytes: [UInt8]) -> DecodingError? {
        bytes.withUnsafeBytes { raw -> DecodingError? in
            do throws(DecodingError) {
                try validate(raw)
                return nil
            } catch {
                return error
            }
        }
    }

    private static func skip(_ r: inout ByteReader, depth: Int) throws(DecodingError) {
        guard depth < maximumDepth else { throw DecodingError(.tooDeep, offset: r.offset) }
        let tagOffset = r.offset
        switch try r.readByte() {
        case 0, 1, 2: return
        case 3: _ = try r.readVarint()
        case 4:
            let d = Double(bitPattern: try r.readUInt64BigEndian())
            guard !d.isNaN, d.bitPattern != (-0.0 as Double).bitPattern else {
                throw DecodingError(.invalidValue, offset: tagOffset, detail: "double")
            }
        case 5: try r.skipString()
        case 6: _ = try r.readBytesSlice()
        case 7:
            let count = try r.readLength()
            for _ in 0..<count { try skip(&r, depth: depth + 1) }
        case 8:
            let count = try r.readLength()
            var previous: UnsafeRawBufferPointer? = nil
            for _ in 0..<count {
                let keyOffset = r.offset
                let keyBytes = try r.readBytesSlice()
                if let p = previous, !lexicographicallyLess(p, keyBytes) {
                    throw DecodingError(.unsortedKeys, offset: keyOffset)
                }
                guard UTF8Validation.isValid(keyBytes) else { throw DecodingError(.invalidUTF8, offset: keyOffset) }
                previous = keyBytes
                try skip(&r, depth: depth + 1)
            }
        default:
            throw DecodingError(.unknownTag, offset: tagOffset, detail: "payload value tag")
        }
    }

    static func utf8Less(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static func lexicographicallyLess(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.baseAddress!, b.baseAddress!, n)
            if c != 0 { return c < 0 }
        }
        return a.count < b.count
    }

    /// Looks up a key when this value is a map.
    public subscript(key: String) -> CanonicalValue? {
        if case .map(let m) = self { return m[key] }
        return nil
    }

    /// The integer, when this value is one.
    public var intValue: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// The string, when this value is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The boolean, when this value is one.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}
