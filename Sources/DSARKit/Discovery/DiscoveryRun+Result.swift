extension DiscoveryRun {
    /// Turns the settled classification into the public result: records with their
    /// provenance, files, conflicts, ambiguous records and problems.
    func result(from outcome: ClassificationOutcome) async throws -> DiscoveryResult {
        // The search is over: let its bookkeeping go before the chains are built.
        evidenceCache = [:]
        lookups = [:]
        identifierLookupsDone = []
        childrenExpanded = []
        parentsExpanded = []
        observedSpellings = [:]
        let chains = provenance(outcome)
        let order = Dictionary(uniqueKeysWithValues: catalog.collections.enumerated().map { ($1.name, $0) })
        let sorted = outcome.status.keys.sorted { (order[$0.collection] ?? 0, $0) < (order[$1.collection] ?? 0, $1) }

        var records: [FoundRecord] = []
        var conflicts: [ExcludedRecord] = []
        var ambiguous: [ExcludedRecord] = []
        for id in sorted {
            switch outcome.status[id] {
            case .owned?, .referenced?:
                guard let record = rows[id], case .record(let chain)? = chains[.record(id)] else { continue }
                records.append(FoundRecord(id: id, record: record, role: outcome.status[id] == .owned ? .owned : .referenced,
                                           provenance: chain))
            case .conflict(let reason)?:
                conflicts.append(ExcludedRecord(id: id, identifier: leadingIdentifier(id, chains), reason: reason))
            case .ambiguous(let identifier)?:
                ambiguous.append(ExcludedRecord(
                    id: id, identifier: identifier,
                    reason: "found only through \(identifier), which another person also uses"))
            default:
                continue
            }
        }
        let known = outcome.known.keys.sorted().compactMap { identifier -> KnownIdentifier? in
            guard case .identifier(let chain)? = chains[.identifier(identifier)] else { return nil }
            return KnownIdentifier(identifier: identifier, provenance: chain)
        }
        // Referenced records too: a parent only the subject's records use (an ActiveStorage blob
        // under an attachment) is erased with them, and its file must go with it.
        let (files, problems) = try await files(of: records)
        return DiscoveryResult(subject: DataSubject(identifiers: seeds), identifiers: known, records: records,
                               files: files, conflicts: conflicts, ambiguous: ambiguous, problems: problems)
    }

    private enum Node: Hashable {
        case identifier(SubjectIdentifier)
        case record(RecordID)
    }

    private enum Chain {
        case identifier([ProvenanceStep])
        case record([ProvenanceStep])
        var steps: [ProvenanceStep] {
            switch self { case .identifier(let steps), .record(let steps): steps }
        }
    }

    /// The shortest chain from a named identifier to every included record and known
    /// identifier, found breadth-first over the reaches that justify inclusion.
    private func provenance(_ outcome: ClassificationOutcome) -> [Node: Chain] {
        let included = outcome.included
        var next: [Node: [(Node, ProvenanceStep)]] = [:]
        for (id, reachSet) in reaches where included.contains(id) {
            for reach in reachSet {
                switch reach {
                case .identifier(let column, let identifier) where outcome.known[identifier] != nil:
                    next[.identifier(identifier), default: []].append(
                        (.record(id), ProvenanceStep(kind: .match, identifier: identifier, record: id, column: column)))
                case .child(let parent, let column) where outcome.status[parent] == .owned:
                    next[.record(parent), default: []].append((.record(id), ProvenanceStep(kind: .child, record: id, column: column)))
                case .parent(let source, let column) where included.contains(source):
                    next[.record(source), default: []].append((.record(id), ProvenanceStep(kind: .parent, record: id, column: column)))
                default:
                    break
                }
            }
        }
        for (identifier, source) in outcome.known {
            for case .revealed(let id, let column) in outcome.revealers[identifier, default: []].union([source]) {
                next[.record(id), default: []].append(
                    (.identifier(identifier), ProvenanceStep(kind: .revealed, identifier: identifier, record: id, column: column)))
            }
        }
        var chains: [Node: Chain] = [:]
        var queue: [Node] = []
        for seed in seeds.sorted() where chains[.identifier(seed)] == nil {
            chains[.identifier(seed)] = .identifier([ProvenanceStep(kind: .seed, identifier: seed)])
            queue.append(.identifier(seed))
        }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            let steps = chains[node]!.steps
            // Ties between chains of one length go to the step that reads first; each step's
            // text is made once, not once per comparison.
            let successors = (next[node] ?? []).filter { chains[$0.0] == nil }
                .map { (text: "\($0.1)", successor: $0.0, step: $0.1) }
                .sorted { $0.text < $1.text }
            for (_, successor, step) in successors where chains[successor] == nil {
                switch successor {
                case .identifier: chains[successor] = .identifier(steps + [step])
                case .record: chains[successor] = .record(steps + [step])
                }
                queue.append(successor)
            }
        }
        return chains
    }

    /// The subject's identifier through which an excluded record was reached.
    private func leadingIdentifier(_ id: RecordID, _ chains: [Node: Chain]) -> SubjectIdentifier? {
        for reach in reaches[id] ?? [] {
            switch reach {
            case .identifier(_, let identifier):
                return identifier
            case .child(let source, _), .parent(let source, _):
                if let first = chains[.record(source)]?.steps.first?.identifier { return first }
            }
        }
        return nil
    }

    /// Files of the subject's records: linked by a column, or records of a pattern collection
    /// (with their sidecars).
    func files(of records: [FoundRecord]) async throws -> ([FoundFile], [DiscoveryProblem]) {
        var files: [FoundFile] = []
        var problems: [DiscoveryProblem] = []
        for found in records {
            guard let collection = catalog.collection(named: found.id.collection) else { continue }
            let storeName: String
            let path: String
            if collection.pattern != nil, let value = found.record["path"]?.textValue {
                storeName = collection.store
                path = value
            } else if let link = collection.files {
                switch link.location(for: found.record) {
                case .none:
                    continue
                case .file(let linkedStore, let linkedPath):
                    storeName = linkedStore
                    path = linkedPath
                case .unresolved(let message):
                    problems.append(DiscoveryProblem(record: found.id, message: message))
                    continue
                }
            } else {
                continue
            }
            let store = try stores.fileStore(named: storeName)
            do {
                if let file = try await store.file(at: path) {
                    files.append(FoundFile(store: storeName, path: path, collection: collection.name, record: found.id.key, size: file.size))
                } else {
                    problems.append(DiscoveryProblem(record: found.id, message: "the linked file is missing from store '\(storeName)'"))
                }
                if let sidecar = collection.sidecar, let captures = collection.pattern?.match(path) {
                    // The file that names the caller goes with its recording, right after it; a message may have none.
                    let sidecarPath = sidecar.path(beside: path, captures: captures)
                    if let file = try await store.file(at: sidecarPath) {
                        files.append(FoundFile(store: storeName, path: sidecarPath, collection: collection.name, record: found.id.key,
                                               size: file.size))
                    }
                }
            } catch let error as DSARError where error.code == .unreadable {
                logger.warning("a linked file cannot be read", metadata: ["record": "\(found.id.safeName(in: catalog))"])
                problems.append(DiscoveryProblem(record: found.id, message: "the linked file cannot be read from store '\(storeName)'"))
            } catch let error as DSARError where error.code == .pathEscapesRoot {
                logger.warning("a linked path leads outside its store root", metadata: ["record": "\(found.id.safeName(in: catalog))"])
                problems.append(DiscoveryProblem(record: found.id, message: "the linked path leads outside store '\(storeName)'; not read"))
            }
        }
        return (files, problems)
    }
}
