import Certification
import CertificationService
import Foundation
import LedgerCore

/// A deterministic source of realistic lumisection-flag events (the domain's `LumisectionFlagsSet`)
/// for benchmarks and crash tests.
///
/// Each event sets one component's status on an LS range of a run's dataset, with a comment and a
/// cause, as shifters and classifiers do: mostly GOOD from classifiers, some BAD with comments
/// from people, spread over runs, datasets and the CMS certifiable components.
struct SyntheticFlagEvents {
    static let components = [
        "castor-castor", "cms-cms", "csc-csc", "ctpps-ctpps", "dt-dt", "ecal-ecal", "ecal-es", "hcal-hcal", "hlt-hlt",
        "l1t-l1t", "l1t-l1tcalo", "l1t-l1tmu", "lumi-lumi", "rpc-rpc", "tracker-pixel", "tracker-strip",
        "tracker-track", "muon-muon", "jetmet-jetmet", "egamma-egamma", "btag-btag", "tau-tau",
    ]
    static let datasets = [
        "online", "/Express/Collisions2024/DQM", "/PromptReco/Collisions2024C/DQM", "/ReReco/Run2024C-v1/DQM",
    ]
    static let badComments = [
        "HV trip in BPix layer 1", "FED 1234 in error, 3% of channels missing", "timing scan, not for physics",
        "low occupancy in sector 7", "DCS off during ramp", "noisy towers in EB+14", "CSC ME-4/2 chamber off",
        "DT wheel -2 sector 4 HV off", "trigger rate spike", "pedestal shift after recovery",
    ]
    static let causes = ["", "", "", "Hardware", "DAQ", "Calibration", "Software", "Beam", "Other"]
    static let shifters = [
        "anna.kowalska@cern.ch", "j.martin@cern.ch", "pixel.offline@cern.ch", "ecal.dqm@cern.ch", "m.rossi@cern.ch",
        "dt.shifter@cern.ch", "h.tanaka@cern.ch", "l.garcia@cern.ch",
    ]

    var random: SeededRandom
    var run: Int = 380_000
    var runLength: Int = 800

    /// Creates a source with a seed.
    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    /// The next batch of `count` events: one decision (one actor, one correlation id) each
    /// `count` events share.
    mutating func nextBatch(count: Int) -> AppendBatch {
        // A run collects about 500 decisions before the next run starts (classifier passes,
        // shifter edits on several datasets), as a Run-3 year of ~2,000 runs does.
        if random.next() % 100 == 0 {
            run += 1 + Int(random.next() % 3)
            runLength = 50 + Int(random.next() % 2500)
        }
        let automatic = random.next() % 10 < 6
        let actor = automatic ? "classifier/\(Self.components[Int(random.next() % 5)])@v\(1 + random.next() % 4)"
            : Self.shifters[Int(random.next() % UInt64(Self.shifters.count))]
        var batch = AppendBatch(
            actor: actor, actorKind: automatic ? .automatic : .human,
            reason: automatic ? "automatic classification" : "shifter certification",
            correlationID: random.next() % 4 == 0 ? nil : UUID(uuid: uuid()))
        batch.events.reserveCapacity(count)
        for _ in 0..<count {
            batch.events.append(nextEvent(human: !automatic))
        }
        return batch
    }

    private mutating func uuid() -> uuid_t {
        let a = random.next()
        let b = random.next()
        var t: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &t) { raw in
            raw.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
        }
        return t
    }

    private mutating func nextEvent(human: Bool) -> ProposedEvent {
        if random.next() % 600 == 0 {
            run += 1
            runLength = 50 + Int(random.next() % 2500)
        }
        let dataset = Self.datasets[Int(random.next() % UInt64(Self.datasets.count))]
        let component = Self.components[Int(random.next() % UInt64(Self.components.count))]
        let first = 1 + Int(random.next() % UInt64(runLength))
        let last = min(runLength, first + Int(random.next() % 400))
        let roll = random.next() % 100
        let status: String
        var comment = ""
        var cause = ""
        switch roll {
        case 0..<82: status = "GOOD"
        case 82..<90:
            status = "BAD"
            comment = Self.badComments[Int(random.next() % UInt64(Self.badComments.count))]
            cause = Self.causes[3 + Int(random.next() % 6)]
        case 90..<94: status = "STANDBY"
        case 94..<97: status = "EXCLUDED"
        default: status = "NOTSET"
        }
        if human && status == "GOOD" && random.next() % 5 == 0 { comment = "checked in DQM GUI" }
        // The domain's own event, encoded by its codec: what the certification service appends.
        let key = DatasetKey(run: run, name: dataset)
        let event = CertificationEvent.lumisectionFlagsSet(
            key, component: component, range: try! LumisectionRange(first, last),
            flag: Flag(LumisectionStatus(rawValue: status)!, comment: comment, cause: cause),
            rule: human ? nil : "online-component-classifier-v3")
        return event.proposed()
    }
}
