extension ErasurePlan {
    /// The subject to discover again (to verify or re-plan the run): every identifier the plan
    /// covers, as journaled. An identifier of a type the catalog no longer declares is an
    /// error, never left out: discovery without it could miss records and call the run complete.
    func subject(in catalog: Catalog) throws -> DataSubject {
        let unknown = Set(identifiers.map(\.type).filter { catalog.identifierType(named: $0) == nil }).sorted()
        guard unknown.isEmpty else {
            throw DSARError(.unknownIdentifierType, "run \(requestID.prefix(40)) covers identifiers of type " +
                            unknown.map { "'\($0.prefix(40))'" }.joined(separator: ", ") + ", which the catalog no longer declares; " +
                            "declare the type again to verify or resume the run", location: "identifiers")
        }
        return DataSubject(identifiers: identifiers)
    }
}
