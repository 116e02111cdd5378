import Certification
import LedgerCore

extension ProjectionStep {
    /// Moves `dataset` from state `from` to `to` in the `group` row of its pass (nil = not counted
    /// there), and sets or deletes its open-item row.
    ///
    /// Dataset counts move by one. A run counts once per state however many of its datasets of the
    /// pass share that state, so the run's other datasets of the same pass are consulted before the
    /// run counts move; only names that can share the pass (equal up to ASCII case) are parsed.
    mutating func movePass(
        _ dataset: DatasetKey, passKey: String, group: String, from: DatasetWorkspaceState?, to: DatasetWorkspaceState?
    ) throws {
        guard !passKey.isEmpty, from != to else { return }
        let key = ViewKeys.pass(passKey, workspace: group)
        let bytes = try changes.read(key) ?? PassView(passKey: passKey, workspace: group).encoded()
        var counts = try PassView.Counts(bytes)

        var siblingStates: [DatasetWorkspaceState] = []
        if passKey != ProcessingPass.online.key {
            for name in try runSiblingNames(dataset) {
                guard (try? ProcessingPass(datasetName: name))?.key == passKey else { continue }
                guard let bytes = try changes.read(ViewKeys.dataset(DatasetKey(run: dataset.run, name: name))) else { continue }
                if let offset = try DatasetView.locate(bytes, workspace: group).offset {
                    siblingStates.append(try DatasetView.state(bytes, at: offset))
                }
            }
        }
        if let from {
            counts.bump(from, runs: false, -1)
            if !siblingStates.contains(from) { counts.bump(from, runs: true, -1) }
        }
        if let to {
            counts.bump(to, runs: false, 1)
            if !siblingStates.contains(to) { counts.bump(to, runs: true, 1) }
        }
        changes.write(key, counts.encoded(over: bytes, sequence: sequence))

        let itemKey = ViewKeys.passItem(passKey, workspace: group, dataset: dataset)
        if let to, to.isOpenItem {
            changes.write(itemKey, PassView.itemValue(to))
        } else if from?.isOpenItem == true {
            changes.write(itemKey, nil)
        }
    }

    /// Adds `delta` to the certified luminosity of the `group` row of `passKey`.
    mutating func addCertifiedLuminosity(_ delta: Double, passKey: String, group: String) throws {
        guard !passKey.isEmpty, delta != 0 else { return }
        let key = ViewKeys.pass(passKey, workspace: group)
        guard let bytes = try changes.read(key) else {
            throw fail("pass \(passKey) has no row for workspace \(group), though a dataset of it has flags there")
        }
        changes.write(key, try PassView.patchLuminosity(bytes, delta: delta, sequence: sequence))
    }

    /// A cheap filter before parsing a sibling's pass: two dataset names of one pass are equal up to the
    /// ASCII case of their processing part (`/PromptReco/…` and `/promptreco/…`); `online` shares with none.
    static func mayShareRow<A: Sequence<UInt8>, B: Sequence<UInt8>>(_ a: A, _ b: B) -> Bool {
        var i = a.makeIterator()
        var j = b.makeIterator()
        var online = Array(DatasetKey.onlineName.utf8).makeIterator()
        var isOnline = true
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return !(isOnline && online.next() == nil)
            case (let x?, let y?):
                if isOnline && online.next() != x { isOnline = false }
                if x != y && (x | 0x20) != (y | 0x20) { return false }
                if x != y && !((x | 0x20) >= 0x61 && (x | 0x20) <= 0x7A) { return false }
            default: return false
            }
        }
    }

    /// The other dataset names of the run that may share `dataset`'s pass (``mayShareRow(_:_:)``), read
    /// from the run's row without building the names that cannot.
    mutating func runSiblingNames(_ dataset: DatasetKey) throws -> [String] {
        try checkRun(dataset.run)
        guard let bytes = try changes.read(ViewKeys.run(dataset.run)) else { throw fail("run \(dataset.run) does not exist") }
        let target = Array(dataset.name.utf8)
        return try RowReader.prefix(bytes, format: RunView.format, what: "runs") { r throws(DecodingError) in
            _ = try r.varint()
            var out: [String] = []
            for _ in 0..<(try r.count()) {
                let length = try r.r.readLength()
                let raw = try r.r.readRaw(count: length)
                guard length == target.count, !raw.elementsEqual(target), Self.mayShareRow(raw, target) else { continue }
                out.append(String(decoding: raw, as: UTF8.self))
            }
            return out
        }
    }
}
