import Foundation

extension FolderStore: ErasableFileStore {
    /// Unlinks the file. A path leading outside the root is refused before anything is
    /// touched; a symbolic link inside the root is removed itself, not its target.
    @discardableResult
    public func removeFile(at path: String) async throws -> Bool {
        guard try resolve(path) != nil else { return false }
        let url = root.appendingPathComponent(path)
        do {
            try FileManager.default.removeItem(at: url)
            return true
        } catch CocoaError.fileNoSuchFile {
            return false
        } catch {
            throw DSARError(.storeFailure, "a file could not be removed", location: name, cause: error)
        }
    }
}
