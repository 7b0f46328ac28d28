import CallCenterExample
import DSARKit
import Foundation

/// The call-centre example, generated once per test process into a temporary folder.
enum ExampleData {
    static let dataSet: CallCenterDataSet = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("dsarkit-tests-\(ProcessInfo.processInfo.processIdentifier)-example")
        do {
            return try CallCenterDataSet.generate(into: directory)
        } catch {
            fatalError("the example data set could not be generated: \(error)")
        }
    }()

    static var catalogText: String {
        get throws { try String(contentsOf: dataSet.catalogURL, encoding: .utf8) }
    }

    /// A fresh folder for one test.
    static func temporaryFolder(_ name: String = #function) throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("dsarkit-\(UUID().uuidString.prefix(8))-\(name.filter(\.isLetter).prefix(30))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
