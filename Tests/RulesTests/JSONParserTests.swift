import Rules
import Testing

/// The hand-written JSON parser and serializer.
struct JSONParserTests {
    private func parseError(_ text: String) -> JSONParseError? {
        do {
            _ = try JSONValue.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesAllValueKinds() throws {
        let v = try JSONValue.parse(#" {"a": [1, -2.5e3, true, false, null, "x"], "b": {}, "c": []} "#)
        #expect(v == ["a": [1, -2500, true, false, .null, "x"], "b": [:], "c": []])
    }

    @Test func keepsKeyOrderAndLastDuplicateWins() throws {
        let v = try JSONValue.parse(#"{"z": 1, "a": 2, "z": 3}"#)
        let o = try #require(v.objectValue)
        #expect(o.keys == ["z", "a"])
        #expect(o["z"] == 3)
        #expect(v.serialized() == #"{"z":3,"a":2}"#)
    }

    @Test func objectEqualityIgnoresKeyOrder() throws {
        let a = try JSONValue.parse(#"{"x": 1, "y": [1, 2]}"#)
        let b = try JSONValue.parse(#"{"y": [1, 2.0], "x": 1.0}"#)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([a, b]).count == 1)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try JSONValue.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00""#)
        #expect(v == .string("a\"b\\c/d\u{8}\u{c}\n\r\té😀"))
        #expect(try JSONValue.parse(#""\ud800""#) == .string("\u{FFFD}"))
        #expect(try JSONValue.parse("\"h\u{e9}llo\"") == "héllo")
    }

    @Test func parsesNumbersExactly() throws {
        #expect(try JSONValue.parse("0.1") == .number(0.1))
        #expect(try JSONValue.parse("123456789012345678901234567890") == .number(123456789012345678901234567890.0))
        #expect(try JSONValue.parse("1.7976931348623157e308") == .number(.greatestFiniteMagnitude))
        #expect(try JSONValue.parse("5e-324") == .number(.leastNonzeroMagnitude))
        #expect(try JSONValue.parse("-0") == .number(-0.0))
        #expect(try JSONValue.parse("2.5E+2") == 250)
    }

    @Test func errorsCarryByteOffsets() throws {
        let trailingComma = try #require(parseError(#"{"a": 1,}"#))
        #expect(trailingComma.offset == 8)
        #expect(trailingComma.message.contains("expected a string key"))

        let missingColon = try #require(parseError(#"{"a" 1}"#))
        #expect(missingColon.offset == 5)
        #expect(missingColon.message.contains("':'"))

        let unterminated = try #require(parseError(#"["abc"#))
        #expect(unterminated.offset == 1)
        #expect(unterminated.message == "unterminated string")

        let badLiteral = try #require(parseError("[tru]"))
        #expect(badLiteral.offset == 1)

        let leadingZero = try #require(parseError("01"))
        #expect(leadingZero.offset == 1)
        #expect(leadingZero.message.contains("after the JSON value"))

        let badNumber = try #require(parseError("[1.]"))
        #expect(badNumber.offset == 3)

        let empty = try #require(parseError("   "))
        #expect(empty.offset == 3)
        #expect(empty.message.contains("end of input"))

        let control = try #require(parseError("\"a\u{01}\""))
        #expect(control.offset == 2)
    }

    @Test func errorsReportLineAndColumn() throws {
        let error = try #require(parseError("{\n  \"a\": 1,\n  \"b\": ]\n}"))
        #expect(error.line == 3)
        #expect(error.column == 8)
        #expect(error.offset == 19)
        #expect(error.description == "unexpected ']', expected a value at byte offset 19 (line 3, column 8)")
    }

    @Test func rejectsInvalidUTF8WithOffset() throws {
        do {
            _ = try JSONValue.parse([0x22, 0x61, 0xFF, 0x22])
            Issue.record("invalid UTF-8 accepted")
        } catch {
            #expect(error.offset == 2)
            #expect(error.message == "invalid UTF-8")
        }
        #expect(try JSONValue.parse(Array("[\"é\"]".utf8)) == ["é"])
    }

    @Test func limitsNesting() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let error = try #require(parseError(deep))
        #expect(error.message.contains("nesting deeper than 512"))
        #expect(error.offset == 512)
        #expect(throws: Never.self) { try JSONValue.parse(deep, maxDepth: 1000) }
    }

    @Test func serializesLikeJSONStringify() throws {
        let v: JSONValue = ["n": [1, 1.5, -0.0, 1e21, 1e-7, .number(0.1 + 0.2), 123456789012], "s": "q\"\\\n\u{1}é", "b": [true, .null]]
        #expect(v.serialized() == #"{"n":[1,1.5,0,1e+21,1e-7,0.30000000000000004,123456789012],"s":"q\"\\\n\u0001é","b":[true,null]}"#)
        #expect(JSONValue.number(.nan).serialized() == "null")
        #expect(JSONValue.number(.infinity).serialized() == "null")
        #expect(JSONValue.array([]).serialized(pretty: true) == "[]")
        #expect((["a": [1]] as JSONValue).serialized(pretty: true) == "{\n  \"a\": [\n    1\n  ]\n}")
    }

    @Test func roundTripsTheOfficialSuite() throws {
        let text = try Fixtures.sharedData("jsonlogic/tests.json")
        let v = try JSONValue.parse(text)
        #expect(try JSONValue.parse(v.serialized()) == v)
        #expect(try JSONValue.parse(v.serialized(pretty: true)) == v)
    }
}
