import Foundation
import Testing

@Suite("dsar certificate verify")
struct CertificateCommandTests {
    @Test("Only the exact signed form is valid: a second verification field, an unknown field or extra bytes are refused")
    func strict() throws {
        let fixture = try ErasureFixture.make()
        let certificate = fixture.directory.appendingPathComponent("cert.json")
        let erased = try fixture.dsar(["erase", "--subject", ErasureFixture.amel, "--execute", "--certificate", certificate.path])
        #expect(erased.status == 0, "\(erased.stderr)")
        let json = try String(contentsOf: certificate, encoding: .utf8)
        let genuine = try fixture.dsar(["certificate", "verify", certificate.path])
        #expect(genuine.status == 0 && genuine.stdout.contains("verification complete"), "\(genuine.stderr)")

        let complete = "\"verification\" : \"complete\""
        #expect(json.contains(complete))
        let variants = [
            "duplicate": json.replacingOccurrences(of: complete, with: complete + ",\n  \"verification\" : \"incomplete\""),
            "unknown": json.replacingOccurrences(of: complete, with: complete + ",\n  \"reviewedBy\" : \"dpo\""),
            "whitespace": json.replacingOccurrences(of: "\n", with: "\r\n"),
            "trailing": json + "\n \n",
        ]
        for (name, text) in variants {
            let file = fixture.directory.appendingPathComponent("\(name).json")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let output = try fixture.dsar(["certificate", "verify", file.path])
            #expect(output.status != 0, "\(name): \(output.stdout)")
            #expect(!output.stdout.contains("Valid"), "\(name)")
            #expect(output.stderr.contains("not exactly as it was signed"), "\(name): \(output.stderr)")
        }
        let commented = fixture.directory.appendingPathComponent("commented.json")
        try (json + "\n// checked by the DPO\n").write(to: commented, atomically: true, encoding: .utf8)
        let output = try fixture.dsar(["certificate", "verify", commented.path])
        #expect(output.status != 0 && output.stderr.contains("not an erasure certificate"), "\(output.stderr)")
    }
}
