/// How one country writes its phone numbers: enough to read national numbers into E.164
/// and to spell a number the ways people commonly write it.
public struct PhoneRegion: Sendable, Hashable {
    /// ISO 3166 code (`FR`).
    public let code: String
    /// Country calling code without `+` (`33`).
    public let callingCode: String
    /// National trunk prefix dropped in international form (`0` in France, none in Tunisia).
    public let trunkPrefix: String?
    /// Lengths of the national significant number.
    public let lengths: Set<Int>
    /// How national numbers are grouped when written with spaces (`[1, 2, 2, 2, 2]`: `6 12 34 56 78`).
    public let grouping: [Int]

    public init?(code: String) {
        guard let region = Self.all.first(where: { $0.code == code.uppercased() }) else { return nil }
        self = region
    }

    private init(_ code: String, _ callingCode: String, trunk: String?, lengths: Set<Int>, grouping: [Int]) {
        self.code = code
        self.callingCode = callingCode
        self.trunkPrefix = trunk
        self.lengths = lengths
        self.grouping = grouping
    }

    /// The regions DSARKit knows. Numbers written internationally work for any country.
    public static let all: [PhoneRegion] = [
        PhoneRegion("FR", "33", trunk: "0", lengths: [9], grouping: [1, 2, 2, 2, 2]),
        PhoneRegion("TN", "216", trunk: nil, lengths: [8], grouping: [2, 3, 3]),
        PhoneRegion("MA", "212", trunk: "0", lengths: [9], grouping: [3, 2, 2, 2]),
        PhoneRegion("DZ", "213", trunk: "0", lengths: [8, 9], grouping: [3, 2, 2, 2]),
        PhoneRegion("BE", "32", trunk: "0", lengths: [8, 9], grouping: [3, 2, 2, 2]),
        PhoneRegion("CH", "41", trunk: "0", lengths: [9], grouping: [2, 3, 2, 2]),
        PhoneRegion("LU", "352", trunk: nil, lengths: [6, 7, 8, 9], grouping: [3, 3, 3]),
        PhoneRegion("DE", "49", trunk: "0", lengths: [7, 8, 9, 10, 11], grouping: [3, 4, 4]),
        PhoneRegion("ES", "34", trunk: nil, lengths: [9], grouping: [3, 3, 3]),
        PhoneRegion("IT", "39", trunk: nil, lengths: [6, 7, 8, 9, 10, 11], grouping: [3, 3, 4]),
        PhoneRegion("GB", "44", trunk: "0", lengths: [9, 10], grouping: [4, 6]),
        PhoneRegion("US", "1", trunk: "1", lengths: [10], grouping: [3, 3, 4]),
        PhoneRegion("CA", "1", trunk: "1", lengths: [10], grouping: [3, 3, 4]),
    ]

    /// The region whose calling code starts `digits` (longest match), if known.
    static func matching(internationalDigits digits: Substring) -> PhoneRegion? {
        all.filter { digits.hasPrefix($0.callingCode) }.max { $0.callingCode.count < $1.callingCode.count }
    }

    /// `significant` split into groups with `separator`; the last group takes what remains.
    func grouped(_ significant: String, separator: String) -> String {
        var groups: [Substring] = []
        var rest = Substring(significant)
        for size in grouping.dropLast() where rest.count > size {
            groups.append(rest.prefix(size))
            rest = rest.dropFirst(size)
        }
        groups.append(rest)
        return groups.joined(separator: separator)
    }
}
