import APIServer
import Access
import Certification
import CertificationService
import Foundation
import Projections
import Hummingbird
import LedgerCore
import LedgerStorage
import ProjectionViews
import Rules

/// The lumisection grid of one (run, dataset): a lane per component with coloured ranges, the OMS
/// DCS bits and the luminosity beside them, and the edit form for a selected range.
struct GridPage {
    let ui: WebUI

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("/runs/{run}/grid") { request, context in try await page(request, context, form: nil) }
        group.post("/runs/{run}/grid") { request, context in try await edit(request, context) }
    }

    /// One coloured range of a lane.
    struct Segment {
        var left: String
        var width: String
        var cssClass: String
        var start: Int
        var end: Int
        var status: String
        var label: String
        var provenance: String
        var component: String?
    }

    /// One lane: a component's flags or an OMS bit.
    struct Lane {
        var name: String
        var segments: [Segment]
    }

    struct Tick {
        var left: String
        var label: String
        /// `start`, `end` or empty: where the label sits relative to its LS (ends stay inside the axis).
        var anchor: String
    }

    /// The values of the edit form (kept after a refused edit).
    struct FormValues {
        var component = ""
        var start = ""
        var end = ""
        var status = ""
        var comment = ""
        var cause = ""
        var error: String?
    }

    struct Model {
        var chrome: PageChrome
        var picker: VersionPicker
        var run: Int
        var runHref: String
        var dataset: String
        var datasets: [SelectOption]
        var count: Int
        var ticks: [Tick]
        var lanes: [Lane]
        var bits: [Lane]
        var hasBits: Bool
        var luminosity: String?
        var recorded: String
        var delivered: String
        var legend: [String]
        var canEdit: Bool
        var components: [SelectOption]
        var statuses: [SelectOption]
        var form: FormValues
        var csrf: String
        var auditHref: String
        var pastNote: Bool
        var closedNote: String?
    }

    func page(
        _ request: Request, _ context: APIRequestContext, form: FormValues?, dataset datasetName: String? = nil
    ) async throws -> Response {
        let r = try await ui.begin(request, context)
        let number = try context.runNumber()
        let name = datasetName ?? request.uri.queryParameters.get("dataset").flatMap { $0.isEmpty ? nil : $0 } ?? DatasetKey.onlineName
        let key = DatasetKey(run: number, name: name)
        let (run, dataset, flags, bits, luminosity, keys) = try ui.api.storage {
            try ui.api.queries.read(asOf: r.version) { reader in
                (
                    try reader.run(number), try reader.dataset(key), try reader.allFlags(key), try reader.allOMSBits(run: number),
                    try reader.luminosity(run: number), try reader.datasetKeys(run: number)
                )
            }
        }
        guard let run else { throw APIError.notFound("run \(number) does not exist at version \(r.version)") }
        guard dataset != nil else { throw APIError.notFound("\(key) does not exist at version \(r.version)") }
        let lastFlag = flags.values.flatMap { $0.effectiveRanges.map(\.range.last) }.max() ?? 0
        let count = max(run.lumisectionCount ?? 0, lastFlag, 1)
        var provenance = ProvenanceCache(audit: ui.api.audit)
        let lanes = flags.keys.sorted().map { component -> Lane in
            let view = flags[component]!
            return Lane(
                name: component,
                segments: view.effectiveRanges.map { s in
                    let manual = view.manual.contains { $0.range.overlaps(s.range) && $0.value == s.value }
                    let flag = s.value.flag
                    let status = flag.status.rawValue
                    let label = "\(component) LS \(s.range.first)–\(s.range.last) \(status)"
                    var why = [label, manual ? "manual decision" : "automatic decision"]
                    if !flag.comment.isEmpty { why.append("comment: \(flag.comment)") }
                    if !flag.cause.isEmpty { why.append("cause: \(flag.cause)") }
                    why.append(provenance.describe(s.value.sequence))
                    return Segment(
                        left: Self.percent(s.range.first - 1, count), width: Self.percent(s.range.count, count),
                        cssClass: "s-\(status)", start: s.range.first, end: s.range.last, status: status, label: label,
                        provenance: why.joined(separator: " · "), component: component)
                })
        }
        let bitLanes = bits.keys.sorted().map { bit -> Lane in
            Lane(
                name: bit,
                segments: bits[bit]!.segments.map { s in
                    let value = s.value.value.map { $0 ? "true" : "false" } ?? "null"
                    let label = "\(bit) LS \(s.range.first)–\(s.range.last) \(value)"
                    return Segment(
                        left: Self.percent(s.range.first - 1, count), width: Self.percent(s.range.count, count),
                        cssClass: "bit-\(value)", start: s.range.first, end: s.range.last, status: value, label: label,
                        provenance: label + " · " + provenance.describe(s.value.sequence), component: nil)
                })
        }
        // Online flags change only while the run is OPEN (the domain refuses otherwise): say so instead of offering the form.
        let onlineClosed = name == DatasetKey.onlineName && run.state != .open
        let editable = r.isPast || onlineClosed ? [] : flags.keys.sorted().filter { component in
            ui.may(r.identity, Action(for: .dataset(key, .setFlags(component: component, range: Self.one, flag: Flag(.good)))))
        }
        var values = form ?? FormValues()
        if values.component.isEmpty { values.component = editable.first ?? "" }
        if values.status.isEmpty { values.status = LumisectionStatus.good.rawValue }
        let history = try ui.api.storage { try ui.api.audit.streamHistory(.dataset(run: number, name: name)).map(\.sequence) }
        let model = Model(
            chrome: ui.chrome("Run \(number) · \(name)", r, section: "Runs", flash: request.uri.queryParameters.get("saved").map {
                "Saved: the flags are in the log at sequence \($0) and shown below."
            }),
            picker: VersionPicker(path: "/ui/runs/\(number)/grid", hidden: [("dataset", name)], changes: history, r: r),
            run: number, runHref: r.link("/ui/runs/\(number)"), dataset: name,
            datasets: keys.map { SelectOption(value: $0.name, label: $0.name, selected: $0.name == name) }, count: count,
            ticks: Self.ticks(count), lanes: lanes, bits: bitLanes, hasBits: !bitLanes.isEmpty,
            luminosity: luminosity.map { Self.luminositySVG($0, count: count) },
            recorded: String(format: "%.3f", luminosity?.recordedSum ?? 0), delivered: String(format: "%.3f", luminosity?.deliveredSum ?? 0),
            legend: LumisectionStatus.allCases.map(\.rawValue),
            canEdit: !editable.isEmpty,
            components: editable.map { SelectOption(value: $0, label: $0, selected: $0 == values.component) },
            statuses: LumisectionStatus.allCases.map { SelectOption(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == values.status) },
            form: values, csrf: r.csrf,
            auditHref: r.link("/ui/audit", [("run", String(number)), ("dataset", name)]), pastNote: r.isPast,
            closedNote: onlineClosed && !r.isPast
                ? "Run \(number) is \(run.state.rawValue): its online flags change only while it is OPEN." : nil)
        return try ui.render("grid", model, r, status: form?.error == nil ? .ok : .unprocessableContent)
    }

    static let one = try! LumisectionRange(1, 1)

    static func percent(_ part: Int, _ whole: Int) -> String {
        String(format: "%.4f", Double(part) * 100 / Double(max(whole, 1)))
    }

    /// About eight LS ticks at round numbers, starting at LS 1, each at the middle of its lumisection.
    static func ticks(_ count: Int) -> [Tick] {
        let raw = Double(count) / 8
        let magnitude = pow(10, floor(log10(max(raw, 1))))
        let step = Int([1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude)
        func middle(_ ls: Int) -> Double { (Double(ls) - 0.5) * 100 / Double(max(count, 1)) }
        var out = [Tick(left: String(format: "%.4f", middle(1)), label: "1", anchor: middle(1) < 5 ? "start" : "")]
        var ls = max(step, 2)
        while ls <= count {
            out.append(Tick(left: String(format: "%.4f", middle(ls)), label: String(ls), anchor: middle(ls) > 95 ? "end" : ""))
            ls += max(step, 1)
        }
        return out
    }

    /// The recorded luminosity per lumisection as a small bar chart (at most 600 bars, each the bucket's maximum).
    static func luminositySVG(_ view: LuminosityView, count: Int) -> String {
        let values = view.recorded
        guard !values.isEmpty else { return "" }
        let buckets = min(600, max(values.count, 1))
        let perBucket = Double(values.count) / Double(buckets)
        var heights: [Double] = []
        for b in 0..<buckets {
            let lo = Int(Double(b) * perBucket), hi = max(lo + 1, Int(Double(b + 1) * perBucket))
            heights.append(values[lo..<min(hi, values.count)].max() ?? 0)
        }
        let top = max(heights.max() ?? 0, 1e-12)
        let width = 1000.0, height = 60.0
        let barWidth = width * (Double(values.count) / Double(max(count, 1))) / Double(buckets)
        var path = ""
        for (i, h) in heights.enumerated() where h > 0 {
            let x = Double(i) * barWidth
            let y = height - h / top * height
            path += String(format: "M%.2f %.2fV%.0fh%.2fV%.2fz", x, height, y, max(barWidth, 0.5), height)
        }
        return """
            <svg viewBox="0 0 \(Int(width)) \(Int(height))" preserveAspectRatio="none" role="img" aria-label="recorded luminosity per lumisection, peak \(String(format: "%.4g", top)) /pb"><title>Recorded luminosity per lumisection</title><path d="\(path)" fill="#1565c0"/></svg>
            """
    }

    /// Applies the edit form: sets flags on a range through the same command as `POST /v1/datasets/{run}/set-flags`.
    func edit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let number = try context.runNumber()
        let form = try await ui.readForm(request)
        let caller = try await ui.checkForm(request, form, context: context)
        var values = FormValues(
            component: form["component"] ?? "", start: form["start"] ?? "", end: form["end"] ?? "",
            status: form["status"] ?? "", comment: form.raw("comment") ?? "", cause: form["cause"] ?? "")
        let dataset = form["dataset"] ?? DatasetKey.onlineName
        do {
            guard let start = Int(values.start) else {
                throw APIError.unprocessable("invalid_range", "the first lumisection '\(values.start)' is not a whole number")
            }
            guard let end = Int(values.end) else {
                throw APIError.unprocessable("invalid_range", "the last lumisection '\(values.end)' is not a whole number")
            }
            let body: JSONObject = [
                "dataset": .string(dataset), "component": .string(values.component), "start": .number(Double(start)),
                "end": .number(Double(end)), "status": .string(values.status), "comment": .string(values.comment),
                "cause": .string(values.cause),
            ]
            let translated = try CommandTranslation.dataset(number, "set-flags", BodyReader(body))
            let outcome = try await ui.perform(translated, by: caller, reason: form["reason"])
            return HTML.redirect(
                HTML.url("/ui/runs/\(number)/grid", [("dataset", dataset), ("saved", String(outcome.sequence))]))
        } catch let error as APIError where [400, 404, 409, 422].contains(error.status.code) {
            values.error = error.message
            return try await page(request, context, form: values, dataset: dataset)
        }
    }
}

/// Who decided a view value: the actor, time and reason of the event at a sequence, looked up once per sequence.
struct ProvenanceCache {
    let audit: AuditQueries
    var seen: [UInt64: String] = [:]

    init(audit: AuditQueries) { self.audit = audit }

    mutating func describe(_ sequence: UInt64) -> String {
        if let text = seen[sequence] { return text }
        var text = "sequence \(sequence)"
        if let recorded = try? audit.log.read({ try $0.event(at: sequence) }) {
            let entry = AuditEntry(recorded)
            text = "set by \(entry.actor) at \(entry.recordedAt.iso8601)"
            if !entry.reason.isEmpty { text += ", reason: \(entry.reason)" }
            text += " (sequence \(sequence), \(entry.type))"
        }
        seen[sequence] = text
        return text
    }
}
