/// Builds the deterministic `CallCenterModel`: fixed people first (stable ids),
/// then random customers, then calls and voicemails from unknown numbers.
struct CallCenterModelBuilder {
    static let amelMobile = PhoneNumber(countryCode: "216", subscriber: "98123456")
    static let householdLine = PhoneNumber(countryCode: "33", subscriber: "145678910")
    static let lastDay = Timestamp(2026, 4, 30)

    private(set) var model = CallCenterModel()
    var rng: SplitMix64
    var usedPhones: Set<String> = [amelMobile.e164, householdLine.e164]
    var usedEmails: Set<String> = []
    var pastHolds = 0
    var futureHolds = 0

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static func build(customers: Int, seed: UInt64) -> CallCenterModel {
        var builder = CallCenterModelBuilder(seed: seed)
        builder.addFixedPeople()
        for index in 0..<max(0, customers - 2) { builder.addRandomCustomer(index: index) }
        builder.addUnknownCallers()
        return builder.model
    }

    // MARK: Primitive inserts (ids are assigned in insertion order, starting at 1)

    @discardableResult
    mutating func addCustomer(_ first: String, _ last: String, email: String, mobile: PhoneNumber?,
                              style: PhoneNumber.Style, city: String?, createdAt: Timestamp) -> Int {
        let id = model.customers.count + 1
        usedEmails.insert(email.lowercased())
        model.customers.append(.init(id: id, firstName: first, lastName: last, email: email,
                                     mobile: mobile?.written(style), mobileE164: mobile?.e164,
                                     city: city, createdAt: createdAt))
        return id
    }

    @discardableResult
    mutating func addConsent(_ customerID: Int, given: Timestamp, withdrawn: Timestamp?, channel: String) -> Int {
        let id = model.consents.count + 1
        model.consents.append(.init(id: id, customerID: customerID, givenAt: given,
                                    withdrawnAt: withdrawn, channel: channel))
        return id
    }

    @discardableResult
    mutating func addCall(_ customerID: Int?, from caller: PhoneNumber?, style: PhoneNumber.Style, at start: Timestamp,
                          duration: Int, reason: String?, notes: String?) -> Int {
        let id = model.calls.count + 1
        model.calls.append(.init(id: id, customerID: customerID, callerNumber: caller?.written(style),
                                 callerE164: caller?.e164, startedAt: start, durationS: duration,
                                 reason: reason, agentNotes: notes))
        return id
    }

    @discardableResult
    mutating func addRecording(call callID: Int, basis: String, holdUntil: String? = nil) -> Int {
        let id = model.recordings.count + 1
        let call = model.calls[callID - 1]
        let (year, month, _) = call.startedAt.civil
        let path = "calls/\(year)/\(month < 10 ? "0" : "")\(month)/call-\(callID).wav"
        model.recordings.append(.init(id: id, callID: callID, path: path, basis: basis, durationS: call.durationS,
                                      legalHoldUntil: holdUntil, audioSeed: rng.next()))
        return id
    }

    mutating func addVoicemail(from phone: PhoneNumber, at received: Timestamp) {
        let path = "voicemail/\(phone.written(phone.voicemailStyle))_\(received.compact).wav"
        guard !model.voicemails.contains(where: { $0.path == path }) else { return }
        model.voicemails.append(.init(path: path, phoneE164: phone.e164, receivedAt: received, audioSeed: rng.next()))
    }

    // MARK: Fixed people (ids documented in CallCenterDataSet)

    mutating func addFixedPeople() {
        let amel = Self.amelMobile, home = Self.householdLine
        addCustomer("Amel", "Ben Ali", email: "Amel.BenAli@Example.TN", mobile: amel, style: .international,
                    city: "Tunis", createdAt: Timestamp(2025, 1, 14, 9, 0))
        addCustomer("Youssef", "Ben Ali", email: "youssef.benali@example.fr", mobile: home, style: .national,
                    city: "Tunis", createdAt: Timestamp(2025, 1, 14, 9, 20))

        addConsent(1, given: Timestamp(2025, 3, 3, 10, 10), withdrawn: Timestamp(2025, 9, 18, 15, 0), channel: "ivr")
        addConsent(1, given: Timestamp(2026, 1, 8, 9, 30), withdrawn: nil, channel: "agent_script")
        addConsent(2, given: Timestamp(2025, 6, 11, 11, 18), withdrawn: nil, channel: "ivr")

        addCall(1, from: amel, style: .e164, at: Timestamp(2025, 3, 3, 10, 12), duration: 245,
                reason: "Ouverture de compte", notes: "Cliente souhaite recevoir ses relevés par e-mail.")
        addCall(1, from: amel, style: .e164, at: Timestamp(2026, 3, 15, 14, 30), duration: 412,
                reason: "Ordre d'achat — 50 actions Atlas Énergie", notes: "Ordre confirmé oralement par la cliente.")
        addCall(1, from: home, style: .international, at: Timestamp(2025, 10, 7, 18, 45), duration: 198,
                reason: "Réclamation facture", notes: "Appelle depuis le fixe du foyer.")
        addCall(nil, from: amel, style: .international00, at: Timestamp(2026, 1, 20, 8, 5), duration: 75,
                reason: "Demande d'information", notes: nil)
        addCall(2, from: home, style: .nationalCompact, at: Timestamp(2025, 6, 11, 11, 20), duration: 310,
                reason: "Changement d'adresse", notes: "Nouvelle adresse à Tunis.")
        addCall(2, from: home, style: .nationalCompact, at: Timestamp(2026, 2, 3, 16, 2), duration: 128,
                reason: "Question sur le contrat", notes: nil)
        addCall(nil, from: home, style: .e164, at: Timestamp(2026, 2, 27, 19, 40), duration: 96,
                reason: "Demande de rappel", notes: "Interlocuteur non identifié (fixe du foyer Ben Ali).")

        addRecording(call: 1, basis: "consent")
        addRecording(call: 2, basis: "legal_obligation", holdUntil: "2031-03-15")
        addRecording(call: 3, basis: "legitimate_interest")
        addRecording(call: 4, basis: "legitimate_interest")
        addRecording(call: 5, basis: "consent")
        addRecording(call: 6, basis: "consent")
        addRecording(call: 7, basis: "legitimate_interest")

        addVoicemail(from: amel, at: Timestamp(2026, 4, 2, 9, 0))
        addVoicemail(from: home, at: Timestamp(2026, 3, 12, 10, 15))
    }
}
