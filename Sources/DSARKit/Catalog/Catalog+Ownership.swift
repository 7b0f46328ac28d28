extension Catalog {
    /// Whether `reference` of `collection` puts its rows under the record it points at (a call
    /// under its customer, a recording under its call), or only describes them (the agent
    /// who handled a call, the address an order ships to).
    ///
    /// A reference to an identifier column (`customer_id: customers.id` where `id` holds
    /// customer ids) names whose the row is. When a collection has such a reference, its other
    /// references describe the row. Without one, every reference puts the row under its target.
    /// Discovery finds children, and holds reach them, through these references only.
    ///
    /// Polymorphic references count for the rows they apply to: with `record`, only the
    /// references that apply to it are weighed; without, only unconditional ones demote the
    /// others (so a reference may own some rows of a collection and describe others).
    public func isOwnership(_ reference: Reference, of collection: DataCollection, for record: Record? = nil) -> Bool {
        if referencedIdentifierType(reference) != nil { return true }
        let weighed = collection.references.filter { other in record.map { other.applies(to: $0) } ?? other.conditions.isEmpty }
        return !weighed.contains { referencedIdentifierType($0) != nil }
    }

    /// The collections whose rows may sit under `parent`'s rows, and the reference that puts
    /// them there (for a polymorphic reference, check each row with ``isOwnership(_:of:for:)``).
    public func ownedChildren(of parent: String) -> [(collection: DataCollection, reference: Reference)] {
        children(of: parent).filter { isOwnership($0.reference, of: $0.collection) }
    }

    /// The identifier type `reference` points at: the target column's, or inherited through
    /// the target's own references.
    func referencedIdentifierType(_ reference: Reference) -> String? {
        identifierTypeName(of: reference.targetCollection, reference.targetColumn)
    }

    /// The identifier type of `collection.column`: declared, or inherited through references.
    func identifierTypeName(of collection: String, _ column: String, depth: Int = 0) -> String? {
        guard depth < 16, let declaration = self.collection(named: collection) else { return nil }
        if let type = declaration.identifierType(ofColumn: column) { return type }
        // A polymorphic column's type depends on the row: only an unconditional reference says.
        guard let reference = declaration.references.first(where: { $0.column == column && $0.conditions.isEmpty }) else { return nil }
        return identifierTypeName(of: reference.targetCollection, reference.targetColumn, depth: depth + 1)
    }
}
