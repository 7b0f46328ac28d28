/// A decimal written as text (`12.5`, `-0.25`, `1234567890123456.1234`), and whether a JSON
/// reader, which reads numbers as doubles, gets exactly that value back.
enum ExactNumber {
    /// `text` as a JSON number when it is one (`-?int(.frac)?(e±exp)?`) and a double reads
    /// back as the same decimal; `nil` otherwise (not a number, or one a double would round:
    /// such a value is better written as a string of its digits than rounded by its reader).
    static func json(_ text: String) -> String? {
        guard let decimal = DecimalValue(text), let double = Double(text), double.isFinite,
              DecimalValue("\(double)") == decimal else { return nil }
        return text
    }

    /// A decimal's value as sign, significant digits and exponent (`12.50` → `+, 125, -1`;
    /// zero as `+, [], 0`), so two spellings of one value compare equal.
    struct DecimalValue: Equatable {
        var negative: Bool
        var digits: [UInt8]
        var exponent: Int

        /// Reads JSON's number syntax, or Swift's description of a double (`1e+16`, `100.0`).
        init?(_ text: String) {
            var bytes = Array(text.utf8)[...]
            negative = bytes.first == UInt8(ascii: "-")
            if negative { bytes = bytes.dropFirst() }
            let integer = bytes.prefix { (48...57).contains($0) }
            guard !integer.isEmpty, integer.count == 1 || integer.first != 48 else { return nil }
            bytes = bytes.dropFirst(integer.count)
            var fraction: ArraySlice<UInt8> = []
            if bytes.first == UInt8(ascii: ".") {
                fraction = bytes.dropFirst().prefix { (48...57).contains($0) }
                guard !fraction.isEmpty else { return nil }
                bytes = bytes.dropFirst(1 + fraction.count)
            }
            var exponent = 0
            if let marker = bytes.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
                guard let value = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)), abs(value) < 100_000 else { return nil }
                exponent = value
                bytes = []
            }
            guard bytes.isEmpty else { return nil }
            var digits = Array((Array(integer) + Array(fraction)).drop { $0 == 48 })
            exponent -= fraction.count
            while digits.last == 48 { digits.removeLast(); exponent += 1 }
            if digits.isEmpty { (negative, exponent) = (false, 0) }
            self.digits = digits
            self.exponent = exponent
        }
    }
}
