extension CallCenterModelBuilder {
    /// A new phone number used by nobody else in the data set.
    mutating func uniquePhone(tunisian: Bool) -> PhoneNumber {
        while true {
            let phone = tunisian
                ? PhoneNumber(countryCode: "216", subscriber: rng.pick(["2", "5", "9"]) + rng.digits(7))
                : PhoneNumber(countryCode: "33", subscriber: rng.pick(["6", "7"]) + rng.digits(8))
            if usedPhones.insert(phone.e164).inserted { return phone }
        }
    }

    mutating func email(first: String, last: String, tunisian: Bool) -> String {
        let domain = tunisian ? rng.pick(["example.tn", "example.com"]) : rng.pick(["example.fr", "example.com", "example.org"])
        var local = rng.pick(["\(first).\(last)", "\(first.prefix(1)).\(last)", "\(first)\(last)", "\(first).\(last)\(rng.int(1...99))"])
        var suffix = 2
        while usedEmails.contains("\(local)@\(domain)") {
            local = "\(first).\(last)\(suffix)"
            suffix += 1
        }
        let plain = "\(local)@\(domain)"
        let style = rng.unit()
        if style < 0.2 {  // "Elodie.Lefevre@Example.FR"
            let parts = local.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }
            let host = domain.split(separator: ".")
            return parts.joined(separator: ".") + "@" + host[0].capitalized + "." + host[1].uppercased()
        }
        return style < 0.27 ? plain.uppercased() : plain
    }

    mutating func addRandomCustomer(index: Int) {
        let first: String, last: String, tunisian: Bool, asciiFirst: String
        if index < NamePools.featured.count {
            let entry = NamePools.featured[index]
            (first, last, tunisian) = (entry.0, entry.1, entry.2)
            asciiFirst = entry.3 ?? NamePools.ascii(first)
        } else {
            tunisian = rng.chance(0.45)
            first = rng.pick(tunisian ? NamePools.tunisianFirst : NamePools.frenchFirst)
            last = rng.pick(tunisian ? NamePools.tunisianLast : NamePools.frenchLast)
            asciiFirst = NamePools.ascii(first)
        }
        let phone: PhoneNumber? = rng.chance(0.1) ? nil : uniquePhone(tunisian: tunisian ? rng.chance(0.85) : rng.chance(0.1))
        let stored = phone.map { rng.pick($0.storageStyles) } ?? .e164
        let mail = email(first: asciiFirst, last: NamePools.ascii(last), tunisian: tunisian)
        let city = rng.chance(0.9) ? rng.pick(tunisian ? NamePools.tunisianCities : NamePools.frenchCities) : nil
        let created = Timestamp.random(from: Timestamp(2025, 1, 2), to: Timestamp(2025, 12, 31), using: &rng)
        let id = addCustomer(first, last, email: mail, mobile: phone, style: stored, city: city, createdAt: created)

        if rng.chance(0.8) {
            let given = created.adding(days: rng.int(0...30))
            let withdrawn = rng.chance(0.2) ? min(given.adding(days: rng.int(30...200)), Self.lastDay) : nil
            addConsent(id, given: given, withdrawn: withdrawn, channel: rng.pick(["ivr", "agent_script"]))
            if rng.chance(0.15), let withdrawn {
                addConsent(id, given: min(withdrawn.adding(days: rng.int(10...90)), Self.lastDay), withdrawn: nil, channel: "agent_script")
            }
        }
        for _ in 0..<rng.int(0...4) {
            addRandomCall(customerID: id, phone: phone, storedStyle: stored, createdAt: created, index: index)
        }
        if let phone, rng.chance(0.15) {
            addVoicemail(from: phone, at: Timestamp.random(from: Timestamp(2025, 6, 1), to: Self.lastDay, using: &rng))
        }
    }

    mutating func addRandomCall(customerID: Int, phone: PhoneNumber?, storedStyle: PhoneNumber.Style,
                                createdAt: Timestamp, index: Int) {
        let start = Timestamp.random(from: createdAt.adding(days: 1), to: Self.lastDay, using: &rng)
        let recorded = rng.chance(0.7)
        var basis = rng.chance(0.55) ? "consent" : "legitimate_interest"
        var hold: String?
        if recorded, rng.chance(0.04) || (index >= 2 && pastHolds == 0) || (index >= 5 && futureHolds == 0) {
            basis = "legal_obligation"
            if pastHolds == 0 || (futureHolds > 0 && rng.chance(0.3)) {
                hold = "2024-01-01"
                pastHolds += 1
            } else {
                hold = start.adding(days: 5 * 365 + 1).dateText
                futureHolds += 1
            }
        }
        let anonymous = phone != nil && rng.chance(0.08)
        let styles = phone.map { $0.callerStyles.filter { $0 != storedStyle } } ?? [.e164]
        let reason = basis == "legal_obligation" ? rng.pick(NamePools.orders) : rng.pick(NamePools.reasons)
        let callID = addCall(anonymous ? nil : customerID, from: phone, style: rng.pick(styles), at: start,
                             duration: rng.int(30...900), reason: reason, notes: rng.pick(NamePools.notes))
        if recorded { addRecording(call: callID, basis: basis, holdUntil: hold) }
    }

    /// Anonymous calls and a voicemail from numbers that belong to nobody.
    mutating func addUnknownCallers() {
        for _ in 0..<4 {
            let phone = uniquePhone(tunisian: rng.chance(0.3))
            let start = Timestamp.random(from: Timestamp(2025, 2, 1), to: Self.lastDay, using: &rng)
            let callID = addCall(nil, from: phone, style: rng.pick(phone.callerStyles), at: start,
                                 duration: rng.int(20...300), reason: rng.pick(NamePools.reasons), notes: nil)
            if rng.chance(0.5) { addRecording(call: callID, basis: "legitimate_interest") }
        }
        let stranger = uniquePhone(tunisian: false)
        addVoicemail(from: stranger, at: Timestamp.random(from: Timestamp(2026, 1, 1), to: Self.lastDay, using: &rng))
    }
}
