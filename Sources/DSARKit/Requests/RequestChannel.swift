/// How a request reached the controller. An electronic request is answered electronically (Art. 12(3)).
public enum RequestChannel: String, Sendable, Codable, CaseIterable {
    case email, phone, ivr, letter, portal
}
