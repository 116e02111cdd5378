public import GoldenJSON
import LedgerCore
import LedgerStorage
import ProjectionViews
import Projections
import Certification
import CertificationJSON
import Rules

extension CertificationJSONRuntime {
    /// The definition's certification JSON as of `sequence`, read from its maintained rows: one
    /// as-of seek per (run, dataset), merged per run into the canonical JSON; the dataset-keyed and
    /// anti JSONs, luminosity totals and clause statistics are summed from the rows in key order,
    /// exactly as ``GoldenGenerator`` sums its evaluations.
    ///
    /// - Parameter within: keep only datasets whose names also match this filter (e.g. one era of
    ///   a year-wide definition).
    /// - Throws: ``LedgerError`` `notFound` when the served rows have not reached `sequence` yet.
    public func result(asOf sequence: UInt64, within: DatasetNameFilter? = nil) throws -> GoldenResult {
        let link = try base.log.read { try $0.link(at: sequence) }
        let (servedNamespace, identity) = (servedRows.namespace, servedRows.identity)
        let clauseCount = identity == projection ? definition.rule.clauses.count : nil
        var result = GoldenResult(
            certified: CertificationList(), certifiedByDataset: [:], rejected: CertificationList(), sequence: sequence,
            link: link, datasets: [], clauseFalseRecorded: Array(repeating: 0, count: clauseCount ?? 0),
            clauseAloneRecorded: Array(repeating: 0, count: clauseCount ?? 0))
        try base.store.read { s in
            // Events after the stored checkpoint that wrote no row count as applied in this process.
            let reached = max(try s.checkpoint(identity), identity == projection ? checkpoint : 0)
            guard reached >= sequence else {
                throw LedgerError(
                    .notFound, "\(identity) holds sequences up to \(reached), not \(sequence) yet; bring it up to date first")
            }
            var failed: (any Error)? = nil
            try s.scan(namespace: servedNamespace, view: Self.rowsView, entityPrefix: [], asOf: sequence) { entity, _, value in
                guard entity.count > 4 else { return true }
                let run = Int(entity[0]) << 24 | Int(entity[1]) << 16 | Int(entity[2]) << 8 | Int(entity[3])
                let key = DatasetKey(run: run, name: String(decoding: entity.dropFirst(4), as: UTF8.self))
                if let within, !within.matches(key.name) { return true }
                guard let row = SegmentResult(row: value) else {
                    failed = LedgerError(.corruption, "the \(identity) row of \(key) does not decode")
                    return false
                }
                if result.clauseFalseRecorded.isEmpty && !row.clauseFalseRecorded.isEmpty && clauseCount == nil {
                    result.clauseFalseRecorded = Array(repeating: 0, count: row.clauseFalseRecorded.count)
                    result.clauseAloneRecorded = result.clauseFalseRecorded
                }
                result.datasets.append(key)
                result.add(key, row)
                return true
            }
            if let failed { throw failed }
        }
        return result
    }

    /// The log sequences at which the served rows changed (the versions where the certification JSON
    /// may differ from the one before), ascending.
    public func changeSequences() throws -> [UInt64] {
        let namespace = servedRows.namespace
        return try base.store.read { try $0.versions(namespace: namespace, view: Self.rowsView) }
    }
}
