import Foundation
import LedgerCore
import LedgerStorage

/// A fresh temporary directory per test, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = NSTemporaryDirectory() + "runledger-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// Opens a fresh log in its own temporary directory, runs `body`, closes the log.
func withTemporaryLog<T>(
    _ configure: (inout EventLog.Options) -> Void = { _ in }, _ body: (EventLog, String) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { dir in
        var options = EventLog.Options()
        configure(&options)
        let log = try EventLog.open(directory: dir + "/data", options: options)
        defer { log.close() }
        return try await body(log, dir + "/data")
    }
}

/// A lumisection-flag payload like the domain writes.
func flagPayload(component: String = "tracker-pixel", first: Int, last: Int, status: String, comment: String = "") -> [UInt8] {
    CanonicalValue.map([
        "component": .string(component), "first_ls": .int(Int64(first)), "last_ls": .int(Int64(last)),
        "status": .string(status), "comment": .string(comment), "cause": .string(""),
    ]).encoded
}

/// A batch of `count` flag events on `stream`.
func flagBatch(
    stream: String = "dataset/355100//PromptReco/Collisions2022C/DQM", count: Int = 1, actor: String = "jane@cern.ch",
    key: String? = nil, at time: LedgerTimestamp? = nil
) -> AppendBatch {
    var batch = AppendBatch(actor: actor, actorKind: .human, reason: "test", idempotencyKey: key, recordedAt: time)
    for i in 0..<count {
        batch.events.append(
            ProposedEvent(stream: stream, type: "LumisectionFlagsSet", payload: flagPayload(first: i + 1, last: i + 10, status: "GOOD")))
    }
    return batch
}

/// The `runledger` executable built next to the test bundle.
var runledgerExecutable: String {
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: me).deletingLastPathComponent()
    // On Linux the test bundle is `<bin>/RunLedgerPackageTests.xctest`.
    if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
    return dir.appendingPathComponent("runledger").path
}

/// Runs `runledger` with `arguments`; returns its exit status, standard output and standard error.
func runRunledger(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: runledgerExecutable)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}
