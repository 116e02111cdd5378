public import Certification
public import LedgerCore

/// The `datasets` view row of one dataset: its pass, states, appearances and cycles.
///
/// The online dataset has no workspaces; its global state follows its run's state (OPEN, SIGNOFF,
/// COMPLETED), as the domain says.
///
/// Encoding (format 2): format byte ‖ last sequence u64 BE ‖ updated-at microseconds i64 BE (both
/// fixed-width at offsets 1 and 9, so a state move patches them in place) ‖ run varint ‖ name string ‖
/// pass key string (`""` when the name fits no pass) ‖ global state byte ‖ workspace states (count, then
/// per workspace sorted by name: workspace token ‖ state byte) ‖ appeared-in strings ‖ GUI names strings ‖
/// cycles strings (sorted) ‖ created-at (0, or 1 + zigzag microseconds). States are bytes in
/// `DatasetWorkspaceState.allCases` order; a workspace token is its position + 1 in a frozen table of
/// CMS workspace names, or 0 ‖ the name.
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

    static let format: UInt8 = 2

    /// The row's canonical bytes.
    public func encoded() -> [UInt8] {
        var w = RowWriter(format: Self.format, capacity: 160)
        w.uint64BE(lastSequence)
        w.uint64BE(UInt64(bitPattern: updatedAt.microseconds))
        w.varint(UInt64(run))
        w.string(name)
        w.string(passKey)
        w.byte(UInt8(globalState.index))
        w.count(workspaceStates.count)
        for ws in workspaceStates.keys.sorted(by: String.utf8Less) {
            w.workspace(ws)
            w.byte(UInt8(workspaceStates[ws]!.index))
        }
        w.strings(appearedIn)
        w.strings(guiDatasetNames)
        w.strings(cycles.sorted(by: String.utf8Less))
        w.timestamp(createdAt)
        return w.bytes
    }

    /// Decodes a row; throws ``ProjectionError`` (corrupt row) for bytes that are not one.
    public init(decoding bytes: [UInt8]) throws {
        self = try Self.decode(bytes)
    }

    static func decode(_ bytes: [UInt8]) throws(ProjectionError) -> DatasetView {
        try RowReader.decode(bytes, format: Self.format, what: "datasets") { r throws(DecodingError) in
            let last = try r.uint64BE()
            let updated = LedgerTimestamp(microseconds: Int64(bitPattern: try r.uint64BE()))
            let run = try r.nonNegative()
            let name = try r.string()
            let pass = try r.string()
            let global = try r.state()
            var states: [String: DatasetWorkspaceState] = [:]
            let n = try r.count()
            states.reserveCapacity(n)
            for _ in 0..<n {
                let ws = try r.workspace()
                states[ws] = try r.state()
            }
            let appeared = try r.strings()
            let gui = try r.strings()
            let cycles = try r.strings()
            guard let created = try r.timestamp() else {
                throw DecodingError(.invalidValue, offset: r.r.offset, detail: "dataset times")
            }
            return DatasetView(
                run: run, name: name, passKey: pass, globalState: global, workspaceStates: states,
                appearedIn: appeared, guiDatasetNames: gui, cycles: cycles, createdAt: created, updatedAt: updated,
                lastSequence: last)
        }
    }

    /// Where a workspace's state byte is in an encoded row, and the pass key; read without decoding the rest.
    ///
    /// - Returns: the offset of the state byte (nil when the dataset lacks the workspace) and the pass key.
    static func locate(_ bytes: [UInt8], workspace: String) throws(ProjectionError) -> (offset: Int?, passKey: String) {
        let token = workspace == DatasetAggregate.globalWorkspace ? nil : WorkspaceNames.token(workspace)
        return try RowReader.prefix(bytes, format: format, what: "datasets") { r throws(DecodingError) in
            r.r.offset = 17
            _ = try r.varint()
            try r.r.skipString()
            let pass = try r.string()
            guard let token else { return (r.r.offset, pass) }
            r.r.offset += 1
            let n = try r.count()
            for _ in 0..<n {
                let match = try r.skipWorkspace(matching: token)
                if match { return (r.r.offset, pass) }
                r.r.offset += 1
            }
            return (nil, pass)
        }
    }

    /// The state byte at `offset` of an encoded row (from ``locate(_:workspace:)``).
    static func state(_ bytes: [UInt8], at offset: Int) throws(ProjectionError) -> DatasetWorkspaceState {
        guard offset < bytes.count, let s = DatasetWorkspaceState.at(bytes[offset]) else {
            throw ProjectionError(.corruptRow, "a datasets row has an invalid state byte")
        }
        return s
    }

    /// An encoded row with the state at `offset` set to `state`, stamped with `sequence` and `updatedAt`.
    static func patch(
        _ bytes: [UInt8], stateAt offset: Int, to state: DatasetWorkspaceState, sequence: UInt64, updatedAt: LedgerTimestamp
    ) -> [UInt8] {
        var out = bytes
        out[offset] = UInt8(state.index)
        let t = UInt64(bitPattern: updatedAt.microseconds)
        for i in 0..<8 {
            out[1 + i] = UInt8(truncatingIfNeeded: sequence >> (56 - 8 * UInt64(i)))
            out[9 + i] = UInt8(truncatingIfNeeded: t >> (56 - 8 * UInt64(i)))
        }
        return out
    }
}
