import Certification
import LedgerCore

extension ProjectionStep {
    /// Sets OMS bits of the online dataset and refreshes the DCS summary of every dataset of the run.
    ///
    /// OMS bits set on an offline dataset are not part of the views: offline summaries use the run's
    /// online bits.
    mutating func setOMSBits(_ key: DatasetKey, range: LumisectionRange, bits: [String: Bool?]) throws {
        guard key.isOnline else { return }
        let run = try loadRun(key.run)
        guard run.datasets.contains(key.name) else { throw fail("\(key) does not exist") }
        var counts: [(String, BitCounts)] = []
        for bit in bits.keys.sorted(by: String.utf8Less) {
            let omsKey = ViewKeys.oms(run: key.run, bit: bit)
            var view = try changes.read(omsKey).map { try OMSBitView(decoding: $0) } ?? OMSBitView()
            view.set(BitDecision(value: bits[bit]!, sequence: sequence), over: range)
            view.lastSequence = sequence
            changes.write(omsKey, view.encoded())
            counts.append((bit, view.counts))
        }
        let bodies = counts.map { bit, c in (Array(bit.utf8), RowWriter.piece { SummaryCoding.writeBits(&$0, c) }) }
        for name in run.datasets {
            let dataset = DatasetKey(run: key.run, name: name)
            var row = try openSummary(dataset)
            for (bit, body) in bodies { row.set(SummaryCoding.bits, bit, body: body) }
            store(row, dataset)
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
        let run = try loadRun(key.run)
        guard run.datasets.contains(key.name) else { throw fail("\(key) does not exist") }
        let lumiKey = ViewKeys.luminosity(run: key.run)
        var view = try changes.read(lumiKey).map { try LuminosityView(decoding: $0) } ?? LuminosityView()
        view.set(recorded: recorded, delivered: delivered, over: range)
        view.lastSequence = sequence
        let bytes = view.encoded()
        changes.write(lumiKey, bytes)
        let sums = try LuminosityView.Sums(bytes)
        for name in run.datasets {
            let dataset = DatasetKey(run: key.run, name: name)
            var row = try openSummary(dataset)
            var header = try row.header()
            header.recordedLuminosity = sums.recordedTotal
            header.deliveredLuminosity = sums.deliveredTotal
            row.setHeader(header)
            for entry in row.sections[SummaryCoding.groups] {
                var cert = try row.decode(entry.body, SummaryCoding.readGroup)
                let lumi = Self.certifiedLuminosity(cert, sums: sums)
                guard lumi != cert.recordedLuminosity else { continue }
                let change = lumi - cert.recordedLuminosity
                cert.recordedLuminosity = lumi
                let group = Array(row.bytes[entry.key])
                row.set(SummaryCoding.groups, group, body: RowWriter.piece { SummaryCoding.writeGroup(&$0, cert) })
                try addCertifiedLuminosity(change, passKey: header.passKey, group: String(decoding: group, as: UTF8.self))
            }
            store(row, dataset)
        }
    }
}
