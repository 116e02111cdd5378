import Certification
import LedgerCore

extension ProjectionStep {
    /// Sets OMS bits of the online dataset: its run's `oms` rows, which are also every summary's DCS counts.
    ///
    /// OMS bits set on an offline dataset are not part of the views: offline summaries use the run's
    /// online bits.
    mutating func setOMSBits(_ key: DatasetKey, range: LumisectionRange, bits: [String: Bool?]) throws {
        guard key.isOnline else { return }
        try checkRun(key.run)
        guard try changes.read(ViewKeys.dataset(key)) != nil else { throw fail("\(key) does not exist") }
        for bit in bits.keys.sorted(by: String.utf8Less) {
            let omsKey = ViewKeys.oms(run: key.run, bit: bit)
            var view = try changes.read(omsKey).map { try OMSBitView(decoding: $0) } ?? OMSBitView()
            view.set(BitDecision(value: bits[bit]!, sequence: sequence), over: range)
            view.lastSequence = sequence
            changes.write(omsKey, view.encoded())
        }
    }

    /// Sets per-lumisection luminosity of the run, then the luminosity sums and certified luminosity
    /// of every dataset of the run (and their pass rows).
    mutating func setLuminosity(_ key: DatasetKey, range: LumisectionRange, recorded: [Double], delivered: [Double]) throws {
        guard recorded.count == range.count, delivered.count == range.count else {
            throw fail("luminosity for \(range) of \(key) needs one recorded and one delivered value per lumisection")
        }
        guard recorded.allSatisfy({ $0.isFinite && $0 >= 0 }), delivered.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw fail("luminosity for \(range) of \(key) must be finite and not negative")
        }
        let names = try runDatasetNames(key.run)
        guard names.contains(key.name) else { throw fail("\(key) does not exist") }
        let lumiKey = ViewKeys.luminosity(run: key.run)
        var view = try changes.read(lumiKey).map { try LuminosityView(decoding: $0) } ?? LuminosityView()
        view.set(recorded: recorded, delivered: delivered, over: range)
        view.lastSequence = sequence
        let bytes = view.encoded()
        changes.write(lumiKey, bytes)
        let sums = try LuminosityView.Sums(bytes)
        for name in names {
            let dataset = DatasetKey(run: key.run, name: name)
            var summary = try loadSummary(dataset)
            summary.recordedLuminosity = sums.recordedTotal
            summary.deliveredLuminosity = sums.deliveredTotal
            store(summary)
            for group in [DatasetAggregate.globalWorkspace] + summary.workspaces {
                let groupKey = ViewKeys.certification(dataset, workspace: group)
                guard let groupBytes = try changes.read(groupKey) else { continue }
                var cert = try DatasetSummaryView.Certification.decode(groupBytes).group
                let lumi = Self.certifiedLuminosity(cert, sums: sums)
                guard lumi != cert.recordedLuminosity else { continue }
                let change = lumi - cert.recordedLuminosity
                cert.recordedLuminosity = lumi
                changes.write(groupKey, cert.encoded(lastSequence: sequence))
                try addCertifiedLuminosity(change, passKey: summary.passKey, group: group)
            }
        }
    }
}
