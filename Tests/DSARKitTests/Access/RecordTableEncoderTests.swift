@testable import DSARKit
import Foundation
import Testing

@Suite("JSON and CSV of records")
struct RecordTableEncoderTests {
    static let records = [
        Record(columns: ["id", "note", "amount", "empty"], values: [.integer(1), .text("plain"), .real(2.5), .null]),
        Record(columns: ["id", "note", "amount", "empty"],
               values: [.integer(2), .text("a, \"quoted\"\r\nline\n et أمل"), .integer(-3), .text("")]),
    ]

    @Test("CSV follows RFC 4180: header, CRLF, quoting only where needed, quotes doubled, NULL empty")
    func csv() throws {
        let text = String(decoding: RecordTableEncoder.csv(Self.records, columns: ["id", "note", "amount", "empty"]), as: UTF8.self)
        #expect(text == "id,note,amount,empty\r\n1,plain,2.5,\r\n2,\"a, \"\"quoted\"\"\r\nline\n et أمل\",-3,\r\n")
        let parsed = try CSVTestParser.parse(text)
        #expect(parsed[2][1] == "a, \"quoted\"\r\nline\n et أمل")
    }

    @Test("JSON keeps the store's column order, types and every character")
    func json() throws {
        let data = RecordTableEncoder.json(Self.records)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("[\n  {\"id\": 1, \"note\": \"plain\", \"amount\": 2.5, \"empty\": null},\n"))
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(rows[1]["note"] as? String == "a, \"quoted\"\r\nline\n et أمل")
        #expect(rows[1]["amount"] as? Int == -3)
        #expect(rows[0]["empty"] is NSNull)
        #expect(RecordTableEncoder.json([]) == Data("[\n]\n".utf8))
    }

    @Test("Typed JSON values: booleans, exact decimals (a double that would round stays text), JSON documents compacted, text untouched")
    func typedValues() {
        #expect(RecordTableEncoder.jsonValue(.integer(1), kind: .boolean) == "true")
        #expect(RecordTableEncoder.jsonValue(.text("false"), kind: .boolean) == "false")
        #expect(RecordTableEncoder.jsonValue(.text("maybe"), kind: .boolean) == "\"maybe\"")
        #expect(RecordTableEncoder.jsonValue(.text("12.5"), kind: .number) == "12.5")
        #expect(RecordTableEncoder.jsonValue(.text("-0.1"), kind: .number) == "-0.1")
        #expect(RecordTableEncoder.jsonValue(.text("9007199254740993"), kind: .number) == "\"9007199254740993\"", "2^53 + 1 is no double")
        #expect(RecordTableEncoder.jsonValue(.text("1234567890123456.1234"), kind: .number) == "\"1234567890123456.1234\"")
        #expect(RecordTableEncoder.jsonValue(.text("NaN"), kind: .number) == "\"NaN\"")
        #expect(RecordTableEncoder.jsonValue(.text("012"), kind: .number) == "\"012\"")
        #expect(RecordTableEncoder.jsonValue(.text("{\"a\": [1, 2],\n \"b c\": \"x y\"}"), kind: .json) == "{\"a\":[1,2],\"b c\":\"x y\"}")
        #expect(RecordTableEncoder.jsonValue(.text("{\"a\": "), kind: .json) == "\"{\\\"a\\\": \"")
        #expect(RecordTableEncoder.jsonValue(.text("42"), kind: .text) == "\"42\"")
        #expect(RecordTableEncoder.jsonValue(.null, kind: .json) == "null")
    }
}
