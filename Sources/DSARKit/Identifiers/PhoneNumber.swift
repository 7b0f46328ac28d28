/// A phone number read from the many ways people write one.
struct PhoneNumber: Hashable {
    /// Country calling code (`33`).
    let callingCode: String
    /// National significant number (`612345678`).
    let significant: String
    /// The region, when the calling code is one DSARKit knows.
    let region: PhoneRegion?

    var e164: String { "+" + callingCode + significant }

    /// Reads `+33 6 12 34 56 78`, `0033612345678`, `06.12.34.56.78`, `+33 (0)6 12 34 56 78`,
    /// and national numbers of `home`. Returns `nil` for anything that is not a plausible number.
    init?(_ raw: String, region home: PhoneRegion?) {
        guard raw.utf8.count <= 64 else { return nil }
        var text = raw.trimmingWhitespace()
        if text.contains("(") { text = text.replacingOccurrences(of: "(0)", with: "") }
        var international = false
        if text.hasPrefix("+") {
            international = true
            text.removeFirst()
        }
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || " .-/()\u{00A0}".contains($0)) }) else { return nil }
        var digits = Substring(text.filter(\.isNumber))
        if !international, digits.hasPrefix("00") {
            international = true
            digits = digits.dropFirst(2)
        }
        if international {
            guard (7...15).contains(digits.count) else { return nil }
            if let region = PhoneRegion.matching(internationalDigits: digits) {
                var significant = digits.dropFirst(region.callingCode.count)
                if let trunk = region.trunkPrefix, region.callingCode != "1",
                   significant.hasPrefix(trunk), !region.lengths.contains(significant.count) {
                    significant = significant.dropFirst(trunk.count)
                }
                guard region.lengths.contains(significant.count) else { return nil }
                self.init(callingCode: region.callingCode, significant: String(significant), region: region)
            } else {
                // Unknown country: keep the digits as written (the calling code cannot be split off).
                self.init(callingCode: "", significant: String(digits), region: nil)
            }
            return
        }
        guard let home else { return nil }
        if let trunk = home.trunkPrefix, digits.hasPrefix(trunk), home.lengths.contains(digits.count - trunk.count) {
            digits = digits.dropFirst(trunk.count)
        } else if digits.hasPrefix(home.callingCode), home.lengths.contains(digits.count - home.callingCode.count) {
            // Written internationally without + or 00 (33612345678).
            digits = digits.dropFirst(home.callingCode.count)
        }
        guard home.lengths.contains(digits.count) else { return nil }
        self.init(callingCode: home.callingCode, significant: String(digits), region: home)
    }

    /// Reads `raw` with each home region in turn: an international number needs none, a
    /// national one is read by the first region where its length is valid.
    init?(_ raw: String, regions homes: [PhoneRegion]) {
        if homes.isEmpty {
            self.init(raw, region: nil)
            return
        }
        for home in homes {
            if let number = PhoneNumber(raw, region: home) {
                self = number
                return
            }
        }
        return nil
    }

    private init(callingCode: String, significant: String, region: PhoneRegion?) {
        self.callingCode = callingCode
        self.significant = significant
        self.region = region
    }

    /// Common written forms, canonical first. National forms (with and without the trunk
    /// prefix) only for numbers of one of the `homes`.
    func spellings(homes: [PhoneRegion]) -> [String] {
        var forms = [e164]
        guard let region else { return forms + ["00" + callingCode + significant] }
        let cc = callingCode, nsn = significant
        let spaced = region.grouped(nsn, separator: " ")
        forms += [
            "00\(cc)\(nsn)", "\(cc)\(nsn)", "+\(cc) \(spaced)", "00\(cc) \(spaced)", "+\(cc) \(nsn)",
            "+\(cc)-\(region.grouped(nsn, separator: "-"))", "+\(cc).\(region.grouped(nsn, separator: "."))",
        ]
        if let trunk = region.trunkPrefix {
            forms += ["+\(cc) (\(trunk))\(spaced)", "+\(cc) (\(trunk)) \(spaced)", "+\(cc)(\(trunk))\(nsn)"]
        }
        if homes.contains(where: { $0.callingCode == region.callingCode }) {
            let national = (region.trunkPrefix ?? "") + nsn
            let groupedNational = region.trunkPrefix.map { trunk in
                { (separator: String) in
                    let groups = region.grouped(nsn, separator: separator)
                    return trunk + groups  // 0 + "6 12 34 56 78" → "06 12 34 56 78"
                }
            } ?? { (separator: String) in region.grouped(nsn, separator: separator) }
            forms += [national, groupedNational(" "), groupedNational("."), groupedNational("-"), nsn]
        }
        var seen = Set<String>()
        return forms.filter { seen.insert($0).inserted }
    }
}
