import DSARKit
import Testing

@Suite("Identifier normalisation")
struct NormalizationTests {
    let frenchPhone = IdentifierType(name: "phone", kind: .phone, region: "FR", shared: true)
    let tunisianPhone = IdentifierType(name: "phone", kind: .phone, region: "TN", shared: true)
    let email = IdentifierType(name: "email", kind: .email)

    @Test("French numbers in every common format are one number", arguments: [
        Masked("06 12 34 56 78", "national, spaced"), Masked("+33 6 12 34 56 78", "international, spaced"),
        Masked("0033612345678", "00 prefix"), Masked("+33612345678", "E.164"), Masked("06.12.34.56.78", "dotted"),
        Masked("06-12-34-56-78", "dashed"), Masked("+33 (0)6 12 34 56 78", "international with (0)"),
        Masked("33612345678", "country code without +"), Masked(" 0612345678\t", "padded"),
    ])
    func frenchFormats(_ raw: Masked) {
        #expect(frenchPhone.normalize(raw.value) == "+33612345678")
    }

    @Test("Tunisian numbers read with region TN, and internationally from any region")
    func tunisian() {
        #expect(tunisianPhone.normalize("+216 98 123 456") == "+21698123456")
        #expect(tunisianPhone.normalize("98123456") == "+21698123456")
        #expect(tunisianPhone.normalize("00216 98 123 456") == "+21698123456")
        #expect(frenchPhone.normalize("+216 98 123 456") == "+21698123456")
        #expect(frenchPhone.normalize("0021698123456") == "+21698123456")
    }

    @Test("Garbage is not a phone number")
    func notAPhone() {
        for raw in ["", "abc", "'; DROP TABLE calls; --", "06 12", "+33 6 12 34 56 78 90 12 34", "0612345678\u{0}",
                    String(repeating: "6", count: 10_000), "%"] {
            #expect(frenchPhone.normalize(raw) == nil, "accepted a value of \(raw.count) characters")
        }
    }

    @Test("Emails are trimmed and ASCII case-folded (as databases compare them); malformed ones are refused")
    func emails() {
        #expect(email.normalize("  Amel.BenAli@Example.TN ") == "amel.benali@example.tn")
        #expect(email.normalize("\tAmel@Example.TN\u{00A0}\n") == "amel@example.tn")
        #expect(email.normalize("ÉLODIE@exemple.fr") == "Élodie@exemple.fr", "SQLite's lower() leaves É alone; so does DSARKit")
        #expect(email.normalize("\u{212A}im@example.com") != "kim@example.com", "a Kelvin sign is not the letter k")
        #expect(email.normalize("no-at-sign") == nil)
        #expect(email.normalize("a@b@c") == nil)
        #expect(email.normalize("@example.com") == nil)
    }

    @Test("Phone spellings cover the national and international ways of writing a number")
    func spellings() {
        let forms = frenchPhone.spellings(of: "+33612345678")
        #expect(forms.first == "+33612345678")
        for written in ["0612345678", "06 12 34 56 78", "0033612345678", "+33 6 12 34 56 78", "06.12.34.56.78"] {
            #expect(forms.contains(written), "missing \(written)")
        }
        let tunisian = frenchPhone.spellings(of: "+21698123456")
        #expect(tunisian.contains("+216 98 123 456"))
        #expect(tunisian.contains("0021698123456"))
        #expect(!tunisian.contains("98123456"), "a foreign number has no national form in a French catalog")
    }
}
