public import LedgerCore

extension CertificationEvent {
    /// One upcaster: how a payload of `type` at schema `from` becomes schema `from + 1`.
    public struct Upcaster: Sendable, Hashable {
        /// The event type.
        public let type: String
        /// The schema version it reads.
        public let from: UInt32
        /// What it changes, in words.
        public let summary: String
    }

    /// Every upcaster, in the order they run.
    public static let upcasters: [Upcaster] = [
        Upcaster(
            type: "LumisectionFlagsSet", from: 1,
            summary: "v1 had no 'cause' and no 'rule'; v2 adds cause \"\" and rule null"),
    ]

    /// Brings a payload of `type` stored at `schemaVersion` to the current schema version.
    ///
    /// Payloads at the current version are returned unchanged. Versions 0 and newer than this code
    /// knows are ``CertificationError/Code/unsupportedSchemaVersion``; unknown types are
    /// ``CertificationError/Code/unknownEventType``.
    public static func upcast(
        type: String, schemaVersion: UInt32, payload: CanonicalValue
    ) throws(CertificationError) -> CanonicalValue {
        guard let current = currentSchemaVersions[type] else {
            throw CertificationError(.unknownEventType, "event type '\(type)' is not a certification event")
        }
        guard schemaVersion >= 1, schemaVersion <= current else {
            throw CertificationError(
                .unsupportedSchemaVersion,
                "\(type) schema version \(schemaVersion) is not supported; this build reads versions 1 to \(current)")
        }
        var version = schemaVersion
        var value = payload
        while version < current {
            value = try step(type: type, from: version, payload: value)
            version += 1
        }
        return value
    }

    private static func step(type: String, from version: UInt32, payload: CanonicalValue) throws(CertificationError)
        -> CanonicalValue
    {
        switch (type, version) {
        case ("LumisectionFlagsSet", 1):
            guard case .map(var m) = payload else {
                throw CertificationError(.malformedPayload, "\(type) v1 payload is not a map")
            }
            if m["cause"] == nil { m["cause"] = .string("") }
            if m["rule"] == nil { m["rule"] = .null }
            return .map(m)
        default:
            throw CertificationError(
                .unsupportedSchemaVersion, "\(type) has no upcaster from schema version \(version)")
        }
    }
}
