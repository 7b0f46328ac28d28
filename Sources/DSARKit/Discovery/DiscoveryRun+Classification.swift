/// How one candidate record stands towards the subject.
enum CandidateStatus: Hashable {
    /// The subject's record: included and searched further.
    case owned
    /// Referenced by the subject's records and linked to nobody: included, not searched further.
    case referenced
    /// Carries another person's identifier: excluded.
    case conflict(reason: String)
    /// Found only through a shared identifier another person also uses: excluded, for review.
    case ambiguous(SubjectIdentifier)
    /// Not (or not yet) tied to the subject.
    case pending
}

/// Why an identifier is known.
enum KnownSource: Hashable {
    case seed
    /// Read from `column` of a record of the subject.
    case revealed(by: RecordID, column: String)
}

/// The identity a record carries: non-shared identifiers in its own columns and through its
/// references, and shared identifiers in its own columns. Each maps to the column it sits in.
struct Evidence {
    var own: [SubjectIdentifier: String] = [:]
    var referenced: [SubjectIdentifier: String] = [:]
    var shared: [SubjectIdentifier: String] = [:]
    var isEmpty: Bool { own.isEmpty && referenced.isEmpty }
}

struct ClassificationOutcome {
    var status: [RecordID: CandidateStatus] = [:]
    var known: [SubjectIdentifier: KnownSource] = [:]
    /// Every owned record that reveals each identifier (for the shortest provenance).
    var revealers: [SubjectIdentifier: Set<KnownSource>] = [:]
    /// Parent rows needed to finish some record's evidence.
    var missing: Set<LookupKey> = []

    var owned: Set<RecordID> { Set(status.filter { $0.value == .owned }.keys) }
    /// Records for review: their children are listed for review with them.
    var ambiguous: Set<RecordID> {
        Set(status.filter { if case .ambiguous = $0.value { true } else { false } }.keys)
    }
    var included: Set<RecordID> {
        Set(status.filter { $0.value == .owned || $0.value == .referenced }.keys)
    }
}

extension DiscoveryRun {
    /// Decides, from what has been loaded so far, which candidates are the subject's.
    /// Reads the run's state; changes nothing but the evidence cache.
    func classify() -> ClassificationOutcome {
        var outcome = ClassificationOutcome()
        for id in reaches.keys where evidenceCache[id] == nil {
            var visiting = Set<RecordID>()
            if let found = self.evidence(of: id, missing: &outcome.missing, visiting: &visiting) {
                evidenceCache[id] = found  // rows and loaded parents never change during a run
            }
        }
        let evidence = evidenceCache
        let contested = contestedValues(evidence)
        for seed in seeds { outcome.known[seed] = .seed }
        revealSoleUser(of: evidence, into: &outcome.known)

        for _ in 0..<64 {
            let previous = outcome.status
            let usedByOthers = sharedValuesOfOthers(previous, evidence)
            var status: [RecordID: CandidateStatus] = [:]
            status.reserveCapacity(reaches.count)
            for (id, reachSet) in reaches {
                guard let found = evidence[id] else { status[id] = .pending; continue }
                status[id] = decide(found, contested: contested[id] ?? [], reachSet, known: outcome.known, previous: previous,
                                    usedByOthers: usedByOthers)
            }
            // An identifier newly revealed is credited to the smallest owned record revealing it.
            var firstRevealer: [SubjectIdentifier: (id: RecordID, column: String)] = [:]
            forEachRevealed(status, evidence, contested) { identifier, id, column in
                guard outcome.known[identifier] == nil else { return }
                if let current = firstRevealer[identifier], current.id < id { return }
                firstRevealer[identifier] = (id, column)
            }
            var known = outcome.known
            for (identifier, first) in firstRevealer { known[identifier] = .revealed(by: first.id, column: first.column) }
            let settled = status == previous && known == outcome.known
            outcome.status = status
            outcome.known = known
            if settled { break }
        }
        // Every owned record that reveals each identifier, for the shortest provenance.
        forEachRevealed(outcome.status, evidence, contested) { identifier, id, column in
            outcome.revealers[identifier, default: []].insert(.revealed(by: id, column: column))
        }
        return outcome
    }

    /// Calls `body` with every identifier each owned record reveals: its shared identifiers,
    /// the ones it references, and its own ones but those another person also holds (one
    /// column per record and identifier).
    private func forEachRevealed(_ status: [RecordID: CandidateStatus], _ evidence: [RecordID: Evidence],
                                 _ contested: [RecordID: Set<SubjectIdentifier>],
                                 _ body: (SubjectIdentifier, RecordID, String) -> Void) {
        for (id, value) in status where value == .owned {
            guard let found = evidence[id] else { continue }
            let held = contested[id] ?? []
            var revealed = found.shared
            revealed.merge(found.own.filter { !held.contains($0.key) }) { first, _ in first }
            revealed.merge(found.referenced) { first, _ in first }
            for (identifier, column) in revealed { body(identifier, id, column) }
        }
    }

    /// How a record with this evidence stands. `contested` are its own values that a record
    /// of another person also carries: they prove nothing.
    private func decide(
        _ found: Evidence, contested: Set<SubjectIdentifier>, _ reachSet: Set<Reach>, known: [SubjectIdentifier: KnownSource],
        previous: [RecordID: CandidateStatus], usedByOthers: Set<SubjectIdentifier>
    ) -> CandidateStatus {
        let isKnown = { (identifier: SubjectIdentifier) in known[identifier] != nil }
        let own = found.own.keys.filter { !contested.contains($0) }
        let strong = own.contains(where: isKnown)
        let foreignOwn = own.filter { !isKnown($0) }
        let foreignReferenced = found.referenced.keys.filter { !isKnown($0) }
        if !found.referenced.isEmpty {
            // A record under a person (an email row under its customer): the subject's when it
            // hangs under her records only, or when it carries a value of hers and nobody else's.
            if !contested.isEmpty {
                return .conflict(reason: "carries \(Self.typeList(Array(contested))) that another person also holds")
            }
            if foreignReferenced.isEmpty { return .owned }
            if foreignReferenced.count < found.referenced.count {
                return .conflict(reason: "references another person's \(Self.typeList(foreignReferenced))")
            }
            if strong { return .owned }
            return .conflict(reason: "carries another person's \(Self.typeList(foreignOwn + foreignReferenced))")
        }
        if strong { return .owned }
        if !foreignOwn.isEmpty { return .conflict(reason: "carries another person's \(Self.typeList(foreignOwn))") }
        if !contested.isEmpty {
            return .conflict(reason: "carries \(Self.typeList(Array(contested))) that another person also holds")
        }
        // Linked to nobody: it is the subject's only through how it was reached.
        var sharedReaches: [SubjectIdentifier] = []
        var referencedByIncluded = false
        var underReview: SubjectIdentifier?
        for reach in reachSet {
            switch reach {
            case .child(let parent, _) where previous[parent] == .owned:
                return .owned
            case .child(let parent, _):
                if case .ambiguous(let identifier)? = previous[parent] { underReview = identifier }
            case .parent(let source, _) where previous[source] == .owned || previous[source] == .referenced:
                referencedByIncluded = true
            case .identifier(_, let identifier) where isKnown(identifier):
                sharedReaches.append(identifier)
            default:
                break
            }
        }
        if !sharedReaches.isEmpty, !sharedReaches.contains(where: usedByOthers.contains) { return .owned }
        if referencedByIncluded { return .referenced }
        if let used = sharedReaches.sorted().first(where: usedByOthers.contains) { return .ambiguous(used) }
        if let underReview { return .ambiguous(underReview) }
        return .pending
    }

    /// For each record, the non-shared values it carries in its own columns that a record of a
    /// different person also carries (an email row of two customers): such a value is held by
    /// two people and proves nothing. Two person records carrying one value (two accounts with
    /// one email) are one person's; a value counts as another person's only when one of the
    /// two records hangs under a person and the other names a different one (another
    /// value of an identifier type the record itself carries).
    private func contestedValues(_ evidence: [RecordID: Evidence]) -> [RecordID: Set<SubjectIdentifier>] {
        var holders: [SubjectIdentifier: [RecordID]] = [:]
        for (id, found) in evidence {
            for value in found.own.keys { holders[value, default: []].append(id) }
        }
        var contested: [RecordID: Set<SubjectIdentifier>] = [:]
        for (value, ids) in holders where ids.count > 1 {
            for id in ids {
                guard let mine = evidence[id] else { continue }
                let identity = Set(mine.own.keys).union(mine.referenced.keys)
                let types = Set(identity.map(\.type))
                let differs = ids.contains { other in
                    guard other != id, let theirs = evidence[other] else { return false }
                    if mine.referenced.isEmpty && theirs.referenced.isEmpty { return false }
                    return theirs.own.keys.contains { !identity.contains($0) && types.contains($0.type) }
                        || theirs.referenced.keys.contains { !identity.contains($0) && types.contains($0.type) }
                }
                if differs { contested[id, default: []].insert(value) }
            }
        }
        return contested
    }

    /// Shared values (a household phone) that a record of another person carries.
    private func sharedValuesOfOthers(_ status: [RecordID: CandidateStatus], _ evidence: [RecordID: Evidence]) -> Set<SubjectIdentifier> {
        var values = Set<SubjectIdentifier>()
        for (id, value) in status {
            guard case .conflict = value, let found = evidence[id] else { continue }
            values.formUnion(found.shared.keys)
        }
        return values
    }

    /// When the request names only shared identifiers (a phone), and the records found
    /// through them carry exactly one person's identity, that person is the subject.
    private func revealSoleUser(of evidence: [RecordID: Evidence], into known: inout [SubjectIdentifier: KnownSource]) {
        let namesAPerson = seeds.contains { catalog.identifierType(named: $0.type)?.shared == false }
        guard !namesAPerson else { return }
        var people: [[SubjectIdentifier: (RecordID, String)]] = []
        for (id, reachSet) in reaches.sorted(by: { $0.key < $1.key }) {
            let bySeed = reachSet.contains { if case .identifier(_, let identifier) = $0 { seeds.contains(identifier) } else { false } }
            guard bySeed, let found = evidence[id], !found.isEmpty else { continue }
            var person: [SubjectIdentifier: (RecordID, String)] = [:]
            for (identifier, column) in found.own.merging(found.referenced, uniquingKeysWith: { a, _ in a }) {
                person[identifier] = (id, column)
            }
            let overlapping = people.indices.filter { !Set(people[$0].keys).isDisjoint(with: person.keys) }
            for index in overlapping.reversed() { person.merge(people.remove(at: index)) { a, _ in a } }
            people.append(person)
        }
        guard people.count == 1 else { return }
        for (identifier, (id, column)) in people[0] where known[identifier] == nil {
            known[identifier] = .revealed(by: id, column: column)
        }
    }

    /// The identity `id` carries, or `nil` while a parent it depends on is not loaded yet.
    func evidence(of id: RecordID, missing: inout Set<LookupKey>, visiting: inout Set<RecordID>) -> Evidence? {
        guard let record = rows[id], let collection = catalog.collection(named: id.collection) else { return nil }
        visiting.insert(id)
        var found = Evidence()
        var complete = true
        for column in collection.identifiers {
            guard let type = catalog.identifierType(named: column.type), let raw = column.rawValue(in: record),
                  let value = type.normalize(raw) else { continue }
            let identifier = SubjectIdentifier(type: type.name, normalizedValue: value)
            if type.shared { found.shared[identifier] = column.column } else { found.own[identifier] = column.column }
        }
        for reference in collection.references where reference.applies(to: record) {
            guard let raw = record[reference.column]?.textValue else { continue }
            if let typeName = catalog.referencedIdentifierType(reference) {
                guard let type = catalog.identifierType(named: typeName), !type.shared, let value = type.normalize(raw) else { continue }
                found.referenced[SubjectIdentifier(type: typeName, normalizedValue: value)] = reference.column
                continue
            }
            // A reference to a record of a person (an agent, another customer), or one that
            // only describes this record (see ``Catalog/isOwnership(_:of:)``), does not make it
            // that person's. Identity flows only from containers (a recording belongs to
            // whoever its call belongs to).
            guard catalog.isOwnership(reference, of: collection, for: record), !isPersonCollection(reference.targetCollection) else { continue }
            let key = LookupKey(collection: reference.targetCollection, column: reference.targetColumn, value: raw)
            guard let parents = lookups[key] else {
                missing.insert(key)
                complete = false
                continue
            }
            for parent in parents where !visiting.contains(parent) {
                guard let inherited = evidence(of: parent, missing: &missing, visiting: &visiting) else {
                    complete = false
                    continue
                }
                for identifier in inherited.own.keys { found.referenced[identifier] = reference.column }
                for identifier in inherited.referenced.keys { found.referenced[identifier] = reference.column }
            }
        }
        return complete ? found : nil
    }

    /// Whether a collection's records name a person by a non-shared identifier of their own.
    func isPersonCollection(_ name: String) -> Bool {
        catalog.collection(named: name)?.identifiers.contains {
            catalog.identifierType(named: $0.type)?.shared == false
        } ?? false
    }

    private static func typeList(_ identifiers: [SubjectIdentifier]) -> String {
        Array(Set(identifiers.map(\.type))).sorted().joined(separator: ", ")
    }
}
