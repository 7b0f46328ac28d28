import Mustache

// Table rows are rendered once per record, twice per entry: named lookups instead of reflection
// (Mustache's `Mirror` path) keep that cheap. A name a type does not have returns nil, so the
// lookup goes on up the context stack exactly as it would through reflection.

extension AccessPage.Collection: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": self.name
        case "anchor": anchor
        case "dataJSON": dataJSON
        case "dataCSV": dataCSV
        case "purpose": purpose.map { $0 as Any }
        case "basis": basis.map { $0 as Any }
        case "basisPerRow": basisPerRow
        case "categories": categories
        case "hasCategories": hasCategories
        case "recipients": recipients
        case "hasRecipients": hasRecipients
        case "retention": retention.map { $0 as Any }
        case "source": source.map { $0 as Any }
        case "holdReason": holdReason.map { $0 as Any }
        case "hasHeld": hasHeld
        case "columns": columns
        case "rows": rows
        case "recordCount": recordCount
        case "hasFiles": hasFiles
        case "rowsMarker": rowsMarker
        default: nil
        }
    }
}

extension AccessPage.Row: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "cells": cells
        case "held": held
        case "heldWith": heldWith.map { $0 as Any }
        case "basis": basis.map { $0 as Any }
        case "files": files
        default: nil
        }
    }
}

extension AccessPage.Cell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "isNull": isNull
        default: nil
        }
    }
}

extension AccessPage.File: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "href": href
        case "name": self.name
        case "size": size
        case "inKB": inKB
        case "inMB": inMB
        case "isAudio": isAudio
        case "mimeType": mimeType
        case "locked": locked
        case "legalHold": legalHold
        case "lockedUntil": lockedUntil.map { $0 as Any }
        default: nil
        }
    }
}

extension AccessPage.Basis: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "consent": consent
        case "contract": contract
        case "legitimateInterest": legitimateInterest
        case "legalObligation": legalObligation
        case "vitalInterest": vitalInterest
        case "publicTask": publicTask
        case "other": other.map { $0 as Any }
        default: nil
        }
    }
}
