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
}
