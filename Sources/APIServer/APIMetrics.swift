import HTTPTypes
import Foundation
import LedgerCore
import Synchronization

extension LedgerTimestamp {
    /// The current wall-clock time.
    static func now() -> LedgerTimestamp {
        LedgerTimestamp(microseconds: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()))
    }
}

/// Request counts, latency histograms and append batch sizes, written out in the Prometheus text format.
final class APIMetrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let latencyBounds: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
    /// Upper bounds of the batch-size buckets, in events.
    static let batchBounds: [Double] = [1, 2, 5, 10, 50, 100, 1000]

    private struct Histogram {
        var buckets: [UInt64]
        var sum = 0.0
        var count: UInt64 = 0

        init(bounds: Int) { buckets = Array(repeating: 0, count: bounds) }

        mutating func observe(_ value: Double, bounds: [Double]) {
            for (i, b) in bounds.enumerated() where value <= b { buckets[i] += 1 }
            sum += value
            count += 1
        }
    }

    private struct RouteKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    private struct State {
        var requests: [RouteKey: UInt64] = [:]
        var latency: [String: Histogram] = [:]
        var batches = Histogram(bounds: APIMetrics.batchBounds.count)
        var duplicates: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Counts one answered request and its latency.
    func recordRequest(method: String, route: String, status: Int, seconds: Double) {
        state.withLock { s in
            s.requests[RouteKey(method: method, route: route, status: status), default: 0] += 1
            s.latency[route, default: Histogram(bounds: Self.latencyBounds.count)].observe(seconds, bounds: Self.latencyBounds)
        }
    }

    /// Counts one accepted write and the size of its batch.
    func recordWrite(events: Int, duplicate: Bool) {
        state.withLock { s in
            if duplicate {
                s.duplicates += 1
            } else {
                s.batches.observe(Double(events), bounds: Self.batchBounds)
            }
        }
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

    /// Writes one histogram's bucket, sum and count lines, with an optional label before `le`.
    private static func write(_ h: Histogram, _ name: String, label: String?, bounds: [Double], to out: inout String) {
        let prefix = label.map { $0 + "," } ?? ""
        let braces = label.map { "{\($0)}" } ?? ""
        for (i, b) in bounds.enumerated() { out += "\(name)_bucket{\(prefix)le=\"\(number(b))\"} \(h.buckets[i])\n" }
        out += "\(name)_bucket{\(prefix)le=\"+Inf\"} \(h.count)\n"
        out += "\(name)_sum\(braces) \(number(h.sum))\n"
        out += "\(name)_count\(braces) \(h.count)\n"
    }

    /// The Prometheus exposition text, with the projection lag lines supplied by the caller.
    func exposition(projectionLag: [(projection: String, checkpoint: UInt64, head: UInt64)]) -> String {
        let s = state.withLock { $0 }
        var out = ""
        out += "# HELP runledger_http_requests_total HTTP requests answered, by method, route and status.\n"
        out += "# TYPE runledger_http_requests_total counter\n"
        for (k, v) in s.requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "runledger_http_requests_total{method=\"\(k.method)\",route=\"\(Self.escape(k.route))\",status=\"\(k.status)\"} \(v)\n"
        }
        out += "# HELP runledger_http_request_duration_seconds Time to answer a request, by route.\n"
        out += "# TYPE runledger_http_request_duration_seconds histogram\n"
        for (route, h) in s.latency.sorted(by: { $0.key < $1.key }) {
            Self.write(h, "runledger_http_request_duration_seconds", label: "route=\"\(Self.escape(route))\"", bounds: Self.latencyBounds, to: &out)
        }
        out += "# HELP runledger_append_batch_events Events per accepted write batch.\n"
        out += "# TYPE runledger_append_batch_events histogram\n"
        Self.write(s.batches, "runledger_append_batch_events", label: nil, bounds: Self.batchBounds, to: &out)
        out += "# HELP runledger_idempotent_replays_total Writes answered from an earlier idempotency key.\n"
        out += "# TYPE runledger_idempotent_replays_total counter\n"
        out += "runledger_idempotent_replays_total \(s.duplicates)\n"
        out += "# HELP runledger_projection_lag_events Events appended but not yet in a projection's views.\n"
        out += "# TYPE runledger_projection_lag_events gauge\n"
        for p in projectionLag {
            out += "runledger_projection_lag_events{projection=\"\(Self.escape(p.projection))\"} \(p.head > p.checkpoint ? p.head - p.checkpoint : 0)\n"
        }
        out += "# HELP runledger_projection_checkpoint The last sequence a projection has applied.\n"
        out += "# TYPE runledger_projection_checkpoint gauge\n"
        for p in projectionLag {
            out += "runledger_projection_checkpoint{projection=\"\(Self.escape(p.projection))\"} \(p.checkpoint)\n"
        }
        return out
    }
}
