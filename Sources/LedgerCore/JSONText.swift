import Foundation

/// Writes compact JSON text with keys in a fixed order, for CLI and API output.
///
/// This is a small, fast writer: it escapes strings as RFC 8259 requires and writes numbers in
/// their shortest round-trip form. Key order is what the caller writes, so output is stable.
public struct JSONText: Sendable {
    /// The UTF-8 bytes written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    /// Creates an empty writer.
    public init() {
        bytes.reserveCapacity(256)
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(44) }
        needsComma[needsComma.count - 1] = true
    }

    /// Opens an object, as a value.
    public mutating func beginObject() {
        separator()
        bytes.append(123)
        needsComma.append(false)
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(125)
    }

    /// Opens an array, as a value.
    public mutating func beginArray() {
        separator()
        bytes.append(91)
        needsComma.append(false)
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        needsComma.removeLast()
        bytes.append(93)
    }

    /// Writes an object key; the next write is its value.
    public mutating func key(_ name: String) {
        separator()
        Self.appendQuoted(name, to: &bytes)
        bytes.append(58)
        needsComma[needsComma.count - 1] = false
        // The value that follows must not write a comma; it re-arms the flag itself.
    }

    /// Writes a string value.
    public mutating func string(_ value: String) {
        separator()
        Self.appendQuoted(value, to: &bytes)
    }

    /// Writes an integer value.
    public mutating func int<I: BinaryInteger>(_ value: I) {
        separator()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes a floating-point value; non-finite values become null.
    public mutating func double(_ value: Double) {
        separator()
        if !value.isFinite {
            bytes.append(contentsOf: "null".utf8)
        } else if value == value.rounded(), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: "\(value)".utf8)
        }
    }

    /// Writes a boolean value.
    public mutating func bool(_ value: Bool) {
        separator()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes null.
    public mutating func null() {
        separator()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Writes bytes that are already valid JSON, as one value.
    public mutating func raw(_ json: String) {
        separator()
        bytes.append(contentsOf: json.utf8)
    }

    /// Writes a payload value as JSON; byte strings become `{"$bytes": "<hex>"}`.
    public mutating func value(_ v: CanonicalValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .bytes(let b):
            beginObject()
            key("$bytes")
            string(b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined())
            endObject()
        case .array(let items):
            beginArray()
            for item in items { value(item) }
            endArray()
        case .map(let entries):
            beginObject()
            for k in entries.keys.sorted(by: CanonicalValue.utf8Less) {
                key(k)
                value(entries[k]!)
            }
            endObject()
        }
    }

    /// Appends `s` as a quoted, escaped JSON string.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(34)
        for b in s.utf8 {
            switch b {
            case 34: out.append(contentsOf: [92, 34])
            case 92: out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, 110])
            case 13: out.append(contentsOf: [92, 114])
            case 9: out.append(contentsOf: [92, 116])
            case 0..<32:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(34)
    }
}

extension RecordedEvent {
    /// The envelope and payload as one line of JSON, as `runledger log tail` prints it.
    public var jsonLine: String {
        var j = JSONText()
        j.beginObject()
        j.key("seq"); j.int(sequence)
        j.key("stream"); j.string(stream)
        j.key("version"); j.int(streamVersion)
        j.key("type"); j.string(type)
        j.key("schema"); j.int(schemaVersion)
        j.key("actor"); j.string(actor)
        j.key("actor_kind"); j.string(actorKind.description)
        j.key("recorded_at"); j.string(recordedAt.iso8601)
        j.key("reason"); j.string(reason)
        if let c = correlationID { j.key("correlation_id"); j.string(c.uuidString.lowercased()) }
        if let c = causationID { j.key("causation_id"); j.string(c.uuidString.lowercased()) }
        if let k = idempotencyKey { j.key("idempotency_key"); j.string(k) }
        j.key("payload")
        if let v = try? CanonicalValue.decode(payload) {
            j.value(v)
        } else {
            j.value(.bytes(payload))
        }
        j.endObject()
        return j.text
    }
}
