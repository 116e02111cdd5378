import Foundation
public import GoldenJSON

/// The certification-JSON definitions of a folder (`projections/`): one `<name>.json` file each.
public enum DefinitionDirectory {
    /// The names of the definitions in `directory` (file names without `.json`), sorted.
    public static func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Reads and parses the definition `name` from `directory`.
    ///
    /// - Throws: ``DefinitionError`` when the file is missing (naming the known ones) or invalid.
    public static func load(_ name: String, from directory: String) throws(DefinitionError) -> CertificationJSONDefinition {
        let path = directory + "/" + name + ".json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DefinitionError(
                source: path, message: "no definition '\(name)' in \(directory)/; known: \(names(in: directory).joined(separator: ", "))")
        }
        return try CertificationJSONDefinition(parsing: Array(data), source: path, expectedName: name)
    }

    /// Every definition in `directory`, sorted by name.
    public static func loadAll(from directory: String) throws(DefinitionError) -> [CertificationJSONDefinition] {
        var out: [CertificationJSONDefinition] = []
        for name in names(in: directory) { out.append(try load(name, from: directory)) }
        return out
    }
}
