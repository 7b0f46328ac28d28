extension CallCenterDataSet {
    /// Ground truth for `person`, derived from the generator's model (not the database).
    ///
    /// A phone is "used by" a person if it is their mobile or the caller number of
    /// one of their calls. Unlinked items (anonymous calls, voicemails) belong to a
    /// person when only they use the phone, and are ambiguous when others use it too (with
    /// the recordings under them).
    public func expectation(for person: Person) -> SubjectExpectation {
        let me = person.customerID
        let mine = Set(person.phones)
        func owners(_ phone: String?) -> Set<Int> { phone.flatMap { phoneOwners[$0] } ?? [] }
        func mineOnly(_ phone: String?) -> Bool { owners(phone) == [me] }
        func shared(_ phone: String?) -> Bool { let o = owners(phone); return o.contains(me) && o.count > 1 }

        var records: Set<ExpectedItem> = [ExpectedItem("customers", me)]
        var conflicts: Set<ExpectedItem> = []
        var ambiguous: Set<ExpectedItem> = []
        var files: Set<String> = []

        for consent in model.consents where consent.customerID == me {
            records.insert(ExpectedItem("consents", consent.id))
        }
        for customer in model.customers where customer.id != me {
            if let phone = customer.mobileE164, mine.contains(phone) { conflicts.insert(ExpectedItem("customers", customer.id)) }
        }
        var myCalls: Set<Int> = []
        for call in model.calls {
            switch call.customerID {
            case me?:
                myCalls.insert(call.id)
            case nil where mineOnly(call.callerE164):
                myCalls.insert(call.id)
            case nil where shared(call.callerE164):
                ambiguous.insert(ExpectedItem("calls", call.id))
            case .some:
                if let phone = call.callerE164, mine.contains(phone) { conflicts.insert(ExpectedItem("calls", call.id)) }
            case nil:
                break
            }
        }
        records.formUnion(myCalls.map { ExpectedItem("calls", $0) })
        for recording in model.recordings where myCalls.contains(recording.callID) {
            records.insert(ExpectedItem("recordings", recording.id))
            files.insert("recordings/\(recording.path)")
        }
        // The recordings of a call to review are listed for review with it.
        for recording in model.recordings where ambiguous.contains(ExpectedItem("calls", recording.callID)) {
            ambiguous.insert(ExpectedItem("recordings", recording.id))
        }
        for voicemail in model.voicemails {
            if mineOnly(voicemail.phoneE164) {
                records.insert(ExpectedItem(collection: "voicemails", key: voicemail.path))
                files.insert("recordings/\(voicemail.path)")
            } else if shared(voicemail.phoneE164) {
                ambiguous.insert(ExpectedItem(collection: "voicemails", key: voicemail.path))
            }
        }
        return SubjectExpectation(records: records, files: files, conflicts: conflicts, ambiguous: ambiguous)
    }
}
