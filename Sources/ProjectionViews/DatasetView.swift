public import Certification
public import LedgerCore

/// The `datasets` view row of one dataset: its pass, states, appearances and cycles.
///
/// The online dataset has no workspaces; its global state follows its run's state (OPEN, SIGNOFF,
/// COMPLETED), as the domain says.
///
/// Encoding (format 1): format byte ‖ run varint ‖ name string ‖ pass key string (`""` when the name
/// fits no pass) ‖ global state string ‖ workspace states (count + (workspace, state) pairs sorted by
/// workspace) ‖ appeared-in strings ‖ GUI names strings ‖ cycles strings (sorted) ‖ created-at and
/// updated-at (0, or 1 + zigzag microseconds) ‖ last sequence varint.
public struct DatasetView: Sendable, Equatable {
    /// The run number.
    public var run: Int
    /// The dataset name.
    public var name: String
    /// The processing pass key, e.g. `prompt/Collisions2024A` or `online`; `""` when the name fits no pass.
    public var passKey: String
    /// The global state.
    public var globalState: DatasetWorkspaceState
    /// The state per offline workspace; empty for the online dataset.
    public var workspaceStates: [String: DatasetWorkspaceState]
    /// Where the dataset appeared (`DQM GUI`, `DBS`), first appearance first.
    public var appearedIn: [String]
    /// The DQM GUI dataset names matched so far, first match first.
    public var guiDatasetNames: [String]
    /// The ids of the cycles the dataset belongs to, sorted by UTF-8 bytes.
    public var cycles: [String]
    /// When the dataset was created.
    public var createdAt: LedgerTimestamp
    /// When an event last changed this row.
    public var updatedAt: LedgerTimestamp
    /// The sequence of the event that last changed this row.
    public var lastSequence: UInt64

    /// Creates a dataset row.
    public init(
        run: Int, name: String, passKey: String, globalState: DatasetWorkspaceState,
        workspaceStates: [String: DatasetWorkspaceState], appearedIn: [String], guiDatasetNames: [String],
        cycles: [String], createdAt: LedgerTimestamp, updatedAt: LedgerTimestamp, lastSequence: UInt64
    ) {
        self.run = run
        self.name = name
        self.passKey = passKey
        self.globalState = globalState
        self.workspaceStates = workspaceStates
        self.appearedIn = appearedIn
        self.guiDatasetNames = guiDatasetNames
        self.cycles = cycles
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastSequence = lastSequence
    }

    /// The dataset's key.
    public var key: DatasetKey { DatasetKey(run: run, name: name) }

    /// The state in `workspace`, or the global state for `global`; nil for a workspace the dataset lacks.
    public func state(inWorkspace workspace: String) -> DatasetWorkspaceState? {
        workspace == DatasetAggregate.globalWorkspace ? globalState : workspaceStates[workspace]
    }

    static let format: UInt8 = 1

    /// The row's canonical bytes.
    public func encoded() -> [UInt8] {
        var w = RowWriter(format: Self.format, capacity: 256)
        w.varint(UInt64(run))
        w.string(name)
        w.string(passKey)
        w.string(globalState.rawValue)
        w.count(workspaceStates.count)
        for ws in workspaceStates.keys.sorted(by: String.utf8Less) {
            w.string(ws)
            w.string(workspaceStates[ws]!.rawValue)
        }
        w.strings(appearedIn)
        w.strings(guiDatasetNames)
        w.strings(cycles.sorted(by: String.utf8Less))
        w.timestamp(createdAt)
        w.timestamp(updatedAt)
        w.varint(lastSequence)
        return w.bytes
    }

    /// Decodes a row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
    public init(decoding bytes: [UInt8]) throws {
        self = try RowReader.decode(bytes, format: Self.format, what: "datasets") { r throws(DecodingError) in
            let run = try r.nonNegative()
            let name = try r.string()
            let pass = try r.string()
            let global = try r.raw(DatasetWorkspaceState.self)
            var states: [String: DatasetWorkspaceState] = [:]
            for _ in 0..<(try r.count()) {
                let ws = try r.string()
                states[ws] = try r.raw(DatasetWorkspaceState.self)
            }
            let appeared = try r.strings()
            let gui = try r.strings()
            let cycles = try r.strings()
            guard let created = try r.timestamp(), let updated = try r.timestamp() else {
                throw DecodingError(.invalidValue, offset: r.r.offset, detail: "dataset times")
            }
            return DatasetView(
                run: run, name: name, passKey: pass, globalState: global, workspaceStates: states,
                appearedIn: appeared, guiDatasetNames: gui, cycles: cycles, createdAt: created, updatedAt: updated,
                lastSequence: try r.varint())
        }
    }
}
