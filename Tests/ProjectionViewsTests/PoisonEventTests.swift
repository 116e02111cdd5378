import Certification
import LedgerCore
import ProjectionViews
import Testing

struct PoisonEventTests {
    func recorded(type: String, version: UInt32 = 1, payload: [UInt8], stream: String = "run/1") -> RecordedEvent {
        RecordedEvent(
            sequence: 1, stream: stream, streamVersion: 1, type: type, schemaVersion: version, actor: "x", actorKind: .human,
            recordedAt: t0, reason: "", payload: payload)
    }

    func code(_ event: RecordedEvent, _ views: MemoryViews = MemoryViews()) -> ProjectionError.Code? {
        do {
            _ = try CertificationProjection.apply(event, reader: views)
            return nil
        } catch let error as ProjectionError {
            return error.code
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func anUnknownEventTypeIsUndecodable() {
        let e = recorded(type: "RunTeleported", payload: CanonicalValue.map(["run_number": .int(1)]).encoded)
        #expect(code(e) == .undecodableEvent)
    }

    @Test func aMalformedPayloadIsUndecodable() {
        #expect(code(recorded(type: "RunClassSet", payload: [0xFF, 0x00])) == .undecodableEvent)
        #expect(code(recorded(type: "RunClassSet", payload: CanonicalValue.map(["run_number": .int(1)]).encoded)) == .undecodableEvent)
        #expect(code(recorded(type: "RunClassSet", version: 9, payload: CanonicalValue.map([:]).encoded)) == .undecodableEvent)
    }

    @Test func eventsAboutMissingEntitiesAreInconsistent() {
        let flags = CertificationEvent.lumisectionFlagsSet(
            DatasetKey.online(run: 1), component: "dt-dt", range: ls(1, 2), flag: Flag(.good), rule: nil)
        #expect(code(recorded(type: flags.typeName, version: flags.schemaVersion, payload: flags.payload.encoded)) == .inconsistentEvent)
        let cls = CertificationEvent.runClassSet(run: 1, runClass: "x")
        #expect(code(recorded(type: cls.typeName, payload: cls.payload.encoded)) == .inconsistentEvent)
    }

    @Test func aRunCreatedTwiceIsInconsistent() throws {
        let views = MemoryViews()
        let e = CertificationEvent.runCreated(run: 1, omsAttributes: [:], runClass: "", significant: false)
        let r = recorded(type: e.typeName, payload: e.payload.encoded)
        try views.apply(r)
        #expect(code(r, views) == .inconsistentEvent)
    }

    @Test func aRunNumberBeyondTheKeyRangeIsInconsistent() {
        let e = CertificationEvent.runCreated(run: 1 << 40, omsAttributes: [:], runClass: "", significant: false)
        #expect(code(recorded(type: e.typeName, payload: e.payload.encoded)) == .inconsistentEvent)
    }

    @Test func configurationEventsChangeNoRows() throws {
        let e = CertificationEvent.permissionRemoved(id: 3)
        #expect(try CertificationProjection.apply(recorded(type: e.typeName, payload: e.payload.encoded, stream: "config/permissions"), reader: MemoryViews()).isEmpty)
    }
}
