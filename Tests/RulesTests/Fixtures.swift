import Foundation
import Rules

/// Locates and loads the shared data files the tests use.
enum Fixtures {
    /// The directory holding the project's Package.swift, found by walking up from this file.
    static func projectRoot(from file: String = #filePath) -> URL? {
        var dir = URL(fileURLWithPath: file).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    struct MissingFixture: Error, CustomStringConvertible {
        let path: String
        var description: String { "fixture not found: \(path)" }
    }

    /// The text of `../shared/data/<relative>` next to the project root.
    static func sharedData(_ relative: String) throws -> String {
        guard let root = projectRoot() else { throw MissingFixture(path: relative) }
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/data").appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else { throw MissingFixture(path: url.path) }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Parses JSON text with the module's own parser.
    static func json(_ text: String) throws -> JSONValue {
        try JSONValue.parse(text)
    }
}
