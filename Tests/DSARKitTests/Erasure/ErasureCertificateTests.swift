import DSARKit
import Foundation
import Testing

@Suite("Erasure certificate")
struct ErasureCertificateTests {
    /// A real certificate, signed by a real erasure, as written to `--certificate`.
    private func signed() async throws -> (json: String, ledger: Ledger) {
        let ledger = try Ledger(url: try ExampleData.temporaryFolder().appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        let erasure = Erasure(catalog: HouseholdFixture.catalog, stores: HouseholdFixture.stores(), ledger: ledger)
        let outcome = try await erasure.execute(try DataSubject(parsing: ["customer_id:1"], catalog: HouseholdFixture.catalog))
        #expect(outcome.certificate.verification == "complete")
        return (String(decoding: try outcome.certificate.json(), as: UTF8.self), ledger)
    }

    private func verify(_ text: String, _ ledger: Ledger) throws -> ErasureCertificate {
        let certificate = try ErasureCertificate.read(from: Data(text.utf8))
        try certificate.verifySignature(trusting: try ledger.publicKey())
        return certificate
    }

    @Test("The certificate as written, with or without one trailing newline, is valid")
    func genuine() async throws {
        let (json, ledger) = try await signed()
        #expect(try verify(json, ledger).verification == "complete")
        #expect(try verify(json + "\n", ledger).verification == "complete")
    }

    @Test("A duplicated field, an unknown field or bytes outside the signed form make it invalid")
    func notTheSignedForm() async throws {
        let (json, ledger) = try await signed()
        #expect(json.contains("\"verification\" : \"complete\""))
        let variants = [
            "a second verification field": json.replacingOccurrences(
                of: "\"verification\" : \"complete\"", with: "\"verification\" : \"complete\",\n  \"verification\" : \"incomplete\""),
            "an unknown field": json.replacingOccurrences(of: "\"verification\" : \"complete\"",
                                                          with: "\"verification\" : \"complete\",\n  \"note\" : \"all good\""),
            "extra whitespace": json.replacingOccurrences(of: "\"scope\" : ", with: "\"scope\" :  "),
            "bytes after it": json + "\n\n",
            "a byte before it": " " + json,
        ]
        for (what, text) in variants {
            #expect(text != json, "\(what)")
            let error = #expect(throws: DSARError.self, "\(what)") { try verify(text, ledger) }
            #expect(error?.code == .signatureInvalid, "\(what)")
            #expect(error?.message.contains("not exactly as it was signed") == true, "\(what): \(error?.message ?? "")")
        }
    }
}
