import HTTPTypes
import CertificationService
import Foundation
import LedgerCore
import Rules

/// JSON forms of recorded events and audit entries.
enum EventJSON {
    /// A recorded event's envelope with its decoded payload summary.
    static func event(_ e: RecordedEvent) -> JSONValue {
        let entry = AuditEntry(e)
        var o: JSONObject = [
            "sequence": .number(Double(e.sequence)), "stream": .string(e.stream),
            "stream_version": .number(Double(e.streamVersion)), "type": .string(e.type),
            "schema_version": .number(Double(e.schemaVersion)), "actor": .string(e.actor),
            "actor_kind": .string(e.actorKind.description), "recorded_at": .string(e.recordedAt.iso8601),
            "reason": .string(e.reason), "summary": .string(entry.summary),
        ]
        if let c = e.correlationID { o["correlation_id"] = .string(c.uuidString.lowercased()) }
        return .object(o)
    }

    /// An audit entry: who, when, why and what.
    static func entry(_ a: AuditEntry) -> JSONValue {
        [
            "sequence": .number(Double(a.sequence)), "recorded_at": .string(a.recordedAt.iso8601),
            "stream": .string(a.stream), "type": .string(a.type), "actor": .string(a.actor),
            "actor_kind": .string(a.actorKind.description), "reason": .string(a.reason), "summary": .string(a.summary),
        ]
    }
}
