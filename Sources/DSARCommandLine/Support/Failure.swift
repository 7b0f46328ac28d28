import ArgumentParser
import DSARKit
import Foundation

/// Turns library errors into one line on stderr and a non-zero exit.
enum Failure {
    static func presentable(_ error: any Error) -> any Error {
        switch error {
        case let error as CatalogError:
            let errors = error.problems.filter { $0.severity == .error }
            let more = errors.count > 1 ? " (and \(errors.count - 1) more; run `dsar check`)" : ""
            return Message("the catalog is not valid: \(errors.first?.description ?? "unknown problem")\(more)")
        case let error as DSARError:
            return Message(error.description)
        default:
            return error
        }
    }

    struct Message: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

extension FileHandle {
    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
