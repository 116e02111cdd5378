import Foundation
import LedgerCore
import Testing

/// The fixed event whose canonical bytes are pinned in ``CanonicalEncodingTests/goldenHex``.
let goldenEvent = RecordedEvent(
    sequence: 300, stream: "run/355100", streamVersion: 2, type: "LumisectionFlagsSet", schemaVersion: 1,
    actor: "jane@cern.ch", actorKind: .human, recordedAt: LedgerTimestamp(microseconds: 1_650_000_000_123_456),
    reason: "HV trip", correlationID: UUID(uuidString: "00112233-4455-6677-8899-AABBCCDDEEFF"),
    causationID: nil, idempotencyKey: "k1",
    payload: CanonicalValue.map(["status": .string("BAD"), "first_ls": .int(1), "last_ls": .int(300)]).encoded)

@Suite struct CanonicalEncodingTests {
    /// The canonical bytes of ``goldenEvent``, written by hand from design/storage.md.
    static let goldenHex = [
        "01",  // envelope format 1
        "ac02",  // sequence 300
        "0a72756e2f333535313030",  // "run/355100"
        "02",  // stream version 2
        "134c756d6973656374696f6e466c616773536574",  // "LumisectionFlagsSet"
        "01",  // schema 1
        "00",  // human
        "0c6a616e65406365726e2e6368",  // "jane@cern.ch"
        "808998fed1aaee05",  // zigzag(1650000000123456)
        "0748562074726970",  // "HV trip"
        "05",  // flags: correlation id, idempotency key
        "00112233445566778899aabbccddeeff",  // correlation id
        "026b31",  // "k1"
        "24",  // payload length 36
        "0803",  // map of 3
        "0866697273745f6c73" + "0302",  // "first_ls": int 1
        "076c6173745f6c73" + "03d804",  // "last_ls": int 300
        "06737461747573" + "0503424144",  // "status": "BAD"
    ].joined()

    @Test func encodingMatchesGoldenBytes() {
        let hex = CanonicalEventCodec.encode(goldenEvent).map { String(format: "%02x", $0) }.joined()
        #expect(hex == Self.goldenHex)
    }

    @Test func decodingGoldenBytesGivesTheSameEvent() throws {
        let bytes = stride(from: 0, to: Self.goldenHex.count, by: 2).map { i -> UInt8 in
            let start = Self.goldenHex.index(Self.goldenHex.startIndex, offsetBy: i)
            return UInt8(Self.goldenHex[start..<Self.goldenHex.index(start, offsetBy: 2)], radix: 16)!
        }
        #expect(try CanonicalEventCodec.decode(bytes) == goldenEvent)
    }

    @Test func mapKeyOrderDoesNotChangeBytes() throws {
        var a: [String: CanonicalValue] = [:]
        a["zeta"] = .int(1)
        a["alpha"] = .string("x")
        a["mid"] = .array([.bool(true), .null, .double(0.5)])
        var b: [String: CanonicalValue] = [:]
        b["mid"] = .array([.bool(true), .null, .double(0.5)])
        b["alpha"] = .string("x")
        b["zeta"] = .int(1)
        #expect(CanonicalValue.map(a).encoded == CanonicalValue.map(b).encoded)
        #expect(try CanonicalValue.decode(CanonicalValue.map(a).encoded) == .map(b))
    }

    @Test func overlongVarintIsRejected() {
        // 0x81 0x00 is a two-byte encoding of 1.
        var event = CanonicalEventCodec.encode(goldenEvent)
        event.replaceSubrange(1..<3, with: [0x81, 0x80, 0x00])
        #expect(throws: DecodingError.self) { try CanonicalEventCodec.decode(event) }
    }

    @Test func unsortedMapKeysAreRejected() {
        let bytes: [UInt8] = [8, 2, 1, 0x62, 0, 1, 0x61, 0]  // {"b": null, "a": null}
        #expect(throws: DecodingError(.unsortedKeys, offset: 5)) { try CanonicalValue.decode(bytes) }
    }

    @Test func truncatedAndTrailingBytesAreRejected() {
        let bytes = CanonicalEventCodec.encode(goldenEvent)
        #expect(throws: DecodingError.self) { try CanonicalEventCodec.decode(Array(bytes.dropLast())) }
        #expect(throws: DecodingError.self) { try CanonicalEventCodec.decode(bytes + [0]) }
    }

    @Test func invalidUTF8IsRejected() {
        let bytes: [UInt8] = [5, 2, 0xC3, 0x28]
        #expect(throws: DecodingError.self) { try CanonicalValue.decode(bytes) }
    }

    @Test func deepNestingIsRejectedNotCrashed() {
        let bytes: [UInt8] = [UInt8](repeating: 7, count: 200).flatMap { (tag: UInt8) -> [UInt8] in [tag, 1] } + [0]
        #expect(throws: DecodingError.self) { try CanonicalValue.decode(bytes) }
    }

    @Test func everyPayloadKindRoundTrips() throws {
        let value = CanonicalValue.map([
            "n": .null, "t": .bool(true), "f": .bool(false), "i": .int(-42), "big": .int(.max), "small": .int(.min),
            "d": .double(-1.25), "s": .string("Ünïcödé ✓"), "b": .bytes([0, 255, 7]),
            "a": .array([.int(1), .map(["k": .string("v")])]),
        ])
        #expect(try CanonicalValue.decode(value.encoded) == value)
    }
}

@Suite struct ChainHashTests {
    @Test func linkIsSHA256OfPreviousLinkAndBytes() {
        let link = ChainHash.genesis.next(Array("abc".utf8))
        #expect(link.hex == "365aa7d8f7f9402c4b9434502b4cc89ddb09fe50d7cd95b493b834c62d5a5370")
        #expect(ChainHash(hex: link.hex) == link)
    }
}

@Suite struct LedgerTimestampTests {
    @Test func formatsAndParsesISO8601() {
        let t = LedgerTimestamp(microseconds: 1_650_000_000_123_456)
        #expect(t.iso8601 == "2022-04-15T05:20:00.123456Z")
        #expect(LedgerTimestamp(iso8601: t.iso8601) == t)
        #expect(LedgerTimestamp(iso8601: "2022-04-15T07:20:00.123456+02:00") == t)
        #expect(LedgerTimestamp(iso8601: "2024-02-29") == LedgerTimestamp(seconds: 1_709_164_800))
        #expect(LedgerTimestamp(seconds: 0).iso8601 == "1970-01-01T00:00:00Z")
    }

    @Test func rejectsMalformedTimes() {
        for text in ["2023-02-29", "2024-13-01", "2024-01-01T25:00:00Z", "yesterday", "2024-01-01T10:00:00", ""] {
            #expect(LedgerTimestamp(iso8601: text) == nil, "\(text)")
        }
    }
}

@Suite struct BatchValidationTests {
    private func batch(stream: String = "run/1", actor: String = "a@cern.ch") -> AppendBatch {
        AppendBatch(actor: actor, actorKind: .human, events: [
            ProposedEvent(stream: stream, type: "T", payload: CanonicalValue.null.encoded)
        ])
    }

    @Test func emptyBatchIsRejected() {
        let empty = AppendBatch(actor: "a", actorKind: .human)
        #expect(throws: LedgerError.self) { try empty.validate() }
    }

    @Test func streamIDsMustHaveACategory() {
        for bad in ["", "run", "/355100", "Run/1", "run/", "9run/1", "run/1\n2"] {
            #expect(throws: LedgerError.self, "\(bad)") { try batch(stream: bad).validate() }
        }
        for good in ["run/355100", "dataset/355100//PromptReco/Collisions2022C/DQM", "config/classifiers"] {
            #expect(throws: Never.self) { try batch(stream: good).validate() }
        }
    }

    @Test func payloadMustBeCanonical() {
        var b = batch()
        b.events[0].payload = [8, 2, 1, 0x62, 0, 1, 0x61, 0]
        #expect(throws: LedgerError.self) { try b.validate() }
    }

    @Test func actorMustNotBeEmpty() {
        #expect(throws: LedgerError.self) { try batch(actor: "").validate() }
    }
}
