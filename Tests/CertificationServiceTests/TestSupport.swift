import Certification
import CertificationJSON
import CertificationService
import Foundation
import LedgerCore
import LedgerStorage

/// The shared data folder beside the project checkout.
let sharedData: URL = {
    var dir = URL(fileURLWithPath: #filePath)
    while dir.path != "/" {
        dir.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { break }
    }
    return dir.deletingLastPathComponent().appendingPathComponent("shared/data")
}()

/// The package root (for tools/ and .venv).
let packageRoot: URL = {
    var dir = URL(fileURLWithPath: #filePath)
    while dir.path != "/" {
        dir.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
    }
    return dir
}()

/// Opens a fresh log in its own temporary directory, runs `body`, closes and removes it.
func withTemporaryLog<T>(_ body: (EventLog) async throws -> T) async throws -> T {
    let path = NSTemporaryDirectory() + "runledger-service-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    let log = try EventLog.open(directory: path)
    defer { log.close() }
    return try await body(log)
}

/// A session acting as `actor`.
func session(_ log: EventLog, actor: String = "importer/test", kind: ActorKind = .automatic) -> CommandSession {
    CommandSession(
        log: log, context: CommandContext(actor: actor, actorKind: kind, time: LedgerTimestamp(seconds: 1_700_000_000)))
}

/// The (run, LS) pairs whose effective flag for `component` in `dataset` is GOOD, read back from the log.
func goodLumisections(_ log: EventLog, dataset: String, component: String) throws -> CertificationList {
    var reader = session(log)
    let prefix = "dataset/"
    let suffix = "/" + dataset
    let ids = try log.read { try $0.streamIDs(prefix: prefix) }.filter { $0.hasSuffix(suffix) }
    var list = CertificationList()
    for id in ids {
        guard let run = Int(id.dropFirst(prefix.count).dropLast(suffix.count)) else { continue }
        let aggregate = try reader.dataset(DatasetKey(run: run, name: dataset))
        for segment in aggregate.flags.flags(component: component) where segment.value.status == .good {
            list.insert(run: UInt32(run), UInt32(segment.range.first)...UInt32(segment.range.last))
        }
    }
    return list
}

/// Parses a file of the shared golden folder.
func goldenFile(_ name: String) throws -> CertificationList {
    let data = try Data(contentsOf: sharedData.appendingPathComponent("golden/" + name))
    return try CertificationList.parse(Array(data), source: name)
}
