import Foundation
import Logging

/// Turns a discovery into an ``ErasurePlan``, reading the catalog's rules. Touches nothing.
///
/// - `delete` rows are deleted with their files; `mask` rows get their columns overwritten
///   (`null`, `redact`, or `hash` with the ``MaskingKey``); `retain` rows are kept with
///   their reason; rows under a `hold` are never touched.
/// - A row that rows outside the subject's data still reference (a shared address, a
///   customer row that a conflicting record points at) is kept and reported as shared.
/// - A hold also holds the rows under the held row (unless `reachesChildren: false`); a row
///   of the subject that a row kept as it is points at is kept ("still referenced by …"),
///   and a file that a row staying behind still links is not deleted.
/// - A row whose masked columns already hold masked values is not masked again.
/// - Conflicting and ambiguous records are never part of a plan.
/// - With `onlyBasis`, only rows with that lawful basis (fixed, or read per row) are erased.
public struct ErasurePlanner: Sendable {
    public let catalog: Catalog
    public let stores: StoreSet
    public let maskingKey: MaskingKey
    public var now: @Sendable () -> Date
    public var logger: Logger

    public init(catalog: Catalog, stores: StoreSet, maskingKey: MaskingKey,
                now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "dsar.erasure")) {
        self.catalog = catalog
        self.stores = stores
        self.maskingKey = maskingKey
        self.now = now
        self.logger = logger
    }

    /// Discovers `subject` and plans its erasure.
    /// With a `scope`, only the records it selects (and the records under them) are erased; the
    /// subject's other records are left alone, reported as out of scope. Discovery still runs in full.
    public func plan(for subject: DataSubject, onlyBasis: LawfulBasis? = nil, scope: RequestScope? = nil,
                     requestID: String = UUID().uuidString.lowercased()) async throws -> ErasurePlan {
        try scope?.validate(against: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores, logger: logger).discover(subject)
        return try await plan(from: result, onlyBasis: onlyBasis, scope: scope, requestID: requestID)
    }

    /// Plans the erasure of what `result` found. Rows in `alreadyMasked` are reported as
    /// masked without being masked again (used when a resumed run is re-planned). A resumed
    /// scoped run passes `scopeMayBeEmpty`: its records may be gone already.
    public func plan(from result: DiscoveryResult, onlyBasis: LawfulBasis? = nil, scope: RequestScope? = nil,
                     scopeMayBeEmpty: Bool = false, requestID: String,
                     alreadyMasked: Set<RecordID> = [], firstStep: Int = 0) async throws -> ErasurePlan {
        try await plan(from: result, onlyBasis: onlyBasis, scope: scope, scopeMayBeEmpty: scopeMayBeEmpty, selecting: nil,
                       requestID: requestID, alreadyMasked: alreadyMasked, firstStep: firstStep)
    }

    /// As above; with `selecting`, only those records are erased and the others of `result` are
    /// left alone as out of scope, their holds still reaching the selected records under them
    /// (a retention sweep selects the rows past their rule).
    func plan(from result: DiscoveryResult, onlyBasis: LawfulBasis? = nil, scope: RequestScope? = nil,
              scopeMayBeEmpty: Bool = false, selecting: Set<RecordID>?, requestID: String,
              alreadyMasked: Set<RecordID> = [], firstStep: Int = 0) async throws -> ErasurePlan {
        let date = now()
        var selection: ScopeSelection?
        if let selecting {
            selection = ScopeSelection(records: selecting, statement: ScopeStatement(parts: []))
        } else if let scope, !scope.isEmpty {
            selection = scopeMayBeEmpty ? (try? scope.select(in: result, catalog: catalog)) ?? ScopeSelection(records: [], statement: .init(parts: []))
                : try scope.select(in: result, catalog: catalog)
        }
        // A row whose linked file is missing or unreadable is the only pointer to a recording
        // that may sit elsewhere: it is kept, like another person's row, with its parents.
        let blocked = Set(result.problems.map(\.record))
        let subjectIDs = Set(result.records.map(\.id)).subtracting(blocked)
        let shared = try await sharedRows(result, subjectIDs: subjectIDs)
        var summaries: [String: CollectionErasure] = [:]
        var changes: [String: RowChanges] = [:]
        var digests: [String: [String]] = [:]
        var updateDigests: [String: [String]] = [:]
        var deleted = Set<RecordID>()
        let decisions = self.decisions(for: result, onlyBasis: onlyBasis, selected: selection?.records, at: date, shared: shared,
                                       locks: try await fileLocks(result))
        for found in result.records {
            guard let collection = catalog.collection(named: found.id.collection) else { continue }
            var summary = summaries[collection.name] ?? CollectionErasure(collection: collection.name, store: collection.store)
            let key = found.id.key.description
            let keyColumns = found.id.key.columns
            var rowChanges = changes[collection.name] ?? RowChanges(keyColumns: keyColumns,
                                                                    declaredReferrers: declaredReferrers(of: collection))
            let decision = decisions[found.id] ?? .outOfScope
            switch decision {
            case .delete, .mask:
                if let problem = ErasureRuleCheck.keyProblem(collection, catalog: catalog) {
                    throw DSARError(.invalidCatalog, problem.message + "; nothing was changed", location: problem.place)
                }
            default: break
            }
            if decision == .delete, blocked.contains(found.id) {
                summary.blocked.append(key)
                summaries[collection.name] = summary
                changes[collection.name] = rowChanges
                continue
            }
            switch decision {
            case .outOfScope: summary.outOfScope.append(key)
            case .kept(let reason): summary.kept.append(KeptRow(key: key, reason: reason))
            case .shared: summary.shared.append(key)
            case .hold(let reason, let until, let under):
                summary.held.append(HeldRow(key: key, reason: reason, until: until, under: under))
            case .retain(let reason):
                summary.retained.append(key)
                summary.retainReason = reason
            case .delete:
                summary.deleted.append(key)
                deleted.insert(found.id)
                if collection.pattern == nil {
                    rowChanges.deletes.append(found.id.key.values)
                    digests[collection.name, default: []].append(found.record.digest)
                }
            case .mask(let masks):
                summary.masked.append(key)
                for mask in masks { summary.masks[mask.column] = mask.strategy.rawValue }
                guard !alreadyMasked.contains(found.id),
                      !masks.allSatisfy({ MaskingKey.isMasked(found.record[$0.column] ?? .null, $0.strategy) }) else { break }
                let values = masks.map { maskedValue(found.record[$0.column] ?? .null, column: $0.column, $0.strategy, in: collection) }
                rowChanges.updates.append(RowUpdate(key: found.id.key.values, columns: masks.map(\.column), values: values))
                updateDigests[collection.name, default: []].append(found.record.digest)
            }
            summaries[collection.name] = summary
            changes[collection.name] = rowChanges
        }
        var files: [String: [FoundFile]] = [:]
        let doomed = result.files.filter { deleted.contains(RecordID(collection: $0.collection, key: $0.record)) }
        let linked = try await filesStillLinked(doomed, deleted: deleted)
        for file in doomed {
            if let keeper = linked[FileKey(store: file.store, path: file.path)] {
                summaries[file.collection]?.keptFiles.append(KeptRow(key: file.record.description,
                                                                     reason: "still linked by \(keeper.safeName(in: catalog))"))
                continue
            }
            files[file.collection, default: []].append(file)
            summaries[file.collection]?.files.append(PlannedFile(store: file.store, path: file.path, key: file.record.description,
                                                                 versions: try await versionCount(of: file)))
        }
        try await checkMasks(changes)
        var steps: [ErasureStep] = []
        for name in catalog.erasureOrder ?? catalog.collections.map(\.name) {
            guard let collection = catalog.collection(named: name) else { continue }
            for file in Self.removalOrder(files[name] ?? [], sidecars: collection.sidecar != nil) {
                steps.append(ErasureStep(index: firstStep + steps.count, collection: name, store: file.store,
                                         action: .removeFile(path: file.path, size: file.size), rowDigests: []))
            }
            if let rowChanges = changes[name], !rowChanges.isEmpty, collection.pattern == nil {
                steps.append(ErasureStep(index: firstStep + steps.count, collection: name, store: collection.store,
                                         action: .changeRows(rowChanges),
                                         rowDigests: (digests[name] ?? []) + (updateDigests[name] ?? [])))
            }
        }
        let identifiers = (result.subject.identifiers + result.identifiers.map(\.identifier))
        return ErasurePlan(
            requestID: requestID, createdAt: ISO8601.timestamp(date), onlyBasis: onlyBasis,
            scope: selection == nil || selecting != nil ? nil : scope, scopeStatement: selecting != nil ? nil : selection?.statement,
            requested: result.subject.identifiers.sorted(),
            identifiers: Array(Set(identifiers)).sorted(),
            collections: catalog.collections.compactMap { summaries[$0.name] },
            steps: steps,
            conflicts: result.conflicts.map { $0.id.description },
            ambiguous: result.ambiguous.map { $0.id.description })
    }

    /// Refuses, before anything is changed, masks the tables cannot take (a `null` into a NOT
    /// NULL column…): a run would otherwise fail halfway and no resume could finish it.
    /// The order a collection's files are removed in: by path; with sidecars, record by record,
    /// each recording before the sidecar naming its caller (discovery lists them so), so a run
    /// stopped between the two never leaves a recording that nothing describes.
    static func removalOrder(_ files: [FoundFile], sidecars: Bool) -> [FoundFile] {
        guard sidecars else { return files.sorted { $0.path < $1.path } }
        return files.enumerated().sorted { a, b in
            let (left, right) = (a.element.record.description, b.element.record.description)
            return left != right ? left < right : a.offset < b.offset
        }.map(\.element)
    }

    func checkMasks(_ changes: [String: RowChanges]) async throws {
        for (name, rowChanges) in changes.sorted(by: { $0.key < $1.key }) where !rowChanges.updates.isEmpty {
            guard let collection = catalog.collection(named: name) else { continue }
            let inspection = try await stores.store(for: collection).inspect(collection)
            if let problem = ErasureRuleCheck.maskProblems(collection, inspection, catalog: catalog).first {
                throw DSARError(.invalidCatalog, "\(problem.message); nothing was changed" + (problem.fix.map { " (\($0))" } ?? ""),
                                location: problem.place)
            }
        }
    }

    /// The masked value of a column. An identifier column is hashed in its normalised form,
    /// so one phone number masks the same way however it was written.
    func maskedValue(_ value: Value, column: String, _ strategy: ColumnMask.Strategy, in collection: DataCollection) -> Value {
        if strategy == .hash, let typeName = collection.identifierType(ofColumn: column),
           let type = catalog.identifierType(named: typeName), let raw = value.textValue, let normalized = type.normalize(raw) {
            return .text(maskingKey.hmac("\(typeName):\(normalized)"))
        }
        return maskingKey.mask(value, strategy)
    }

    /// Columns of other tables in the same store that the catalog declares as references
    /// to `collection`.
    func declaredReferrers(of collection: DataCollection) -> [ReferringColumn] {
        catalog.children(of: collection.name).compactMap { child, reference in
            guard child.store == collection.store, let table = child.table else { return nil }
            return ReferringColumn(table: table, column: reference.column)
        }
    }
}
