public import Foundation
import Access
import Certification
import CertificationService
import LedgerCore
import LedgerStorage

/// The `small` demo workload with the demo permissions, generated once per test process and copied
/// into a fresh directory for every test that serves it.
public enum DemoLedgerTemplate {
    /// The generated template directory (the log's LMDB files).
    public static let directory: String = {
        let dir = NSTemporaryDirectory() + "runledger-demo-template-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let log = try! EventLog.open(directory: dir)
        _ = try! WorkloadGenerator(profile: .small, seed: 1).generate(into: log) { _, _ in }
        var session = CommandSession(
            log: log, context: CommandContext(actor: "runledger-demo", actorKind: .human, time: LedgerTimestamp(seconds: 1_900_000_000)))
        for command in DemoAccess.commands { try! session.execute(command) }
        _ = try! session.commitBlocking(reason: "demo permissions")
        log.close()
        return dir
    }()

    /// A new directory named `prefix-<uuid>` holding a copy of the template's log.
    public static func copy(prefix: String) throws -> String {
        let target = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for file in ["data.mdb", "lock.mdb"] where FileManager.default.fileExists(atPath: directory + "/" + file) {
            try FileManager.default.copyItem(atPath: directory + "/" + file, toPath: target + "/" + file)
        }
        return target
    }

    /// The repository root (the folder holding Package.swift).
    public static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}
