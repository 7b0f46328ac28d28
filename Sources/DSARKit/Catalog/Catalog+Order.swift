extension Catalog {
    /// Collections that reference `parent` (its children), with the reference used.
    public func children(of parent: String) -> [(collection: DataCollection, reference: Reference)] {
        collections.flatMap { collection in
            collection.references.filter { $0.targetCollection == parent }.map { (collection, $0) }
        }
    }

    /// Collection names ordered children before parents: the order in which erasure touches
    /// them. `nil` when references form a cycle.
    public var erasureOrder: [String]? {
        var order: [String] = []
        var state: [String: Bool] = [:]  // false: visiting, true: done
        func visit(_ name: String) -> Bool {
            if let done = state[name] { return done }
            state[name] = false
            for (child, _) in children(of: name) {
                if !visit(child.name) { return false }
            }
            state[name] = true
            order.append(name)
            return true
        }
        for collection in collections where !visit(collection.name) { return nil }
        return order
    }

    /// One cycle among references, as collection names, or `nil`.
    func referenceCycle() -> [String]? {
        var stack: [String] = []
        var state: [String: Bool] = [:]
        func visit(_ name: String) -> [String]? {
            if state[name] == true { return nil }
            if state[name] == false {
                let start = stack.firstIndex(of: name) ?? 0
                return Array(stack[start...]) + [name]
            }
            state[name] = false
            stack.append(name)
            for reference in collection(named: name)?.references ?? [] where collection(named: reference.targetCollection) != nil {
                if let cycle = visit(reference.targetCollection) { return cycle }
            }
            stack.removeLast()
            state[name] = true
            return nil
        }
        for collection in collections {
            if let cycle = visit(collection.name) { return cycle }
        }
        return nil
    }
}
