import APIServer
import Certification
import CertificationService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerStorage
import Projections
import GoldenService
import CertificationJSON
import ProjectionViews
import Testing

@Suite("Web UI pages")
struct WebUIPageTests {
    /// The biggest run of the demo (5,000 lumisections).
    static func biggestRun(_ fixture: UIFixture) throws -> Int {
        try fixture.api.queries.runs(asOf: fixture.api.runtime.checkpoint).max { ($0.lumisectionCount ?? 0, $0.run) < ($1.lumisectionCount ?? 0, $1.run) }!.run
    }

    /// The biggest run that is still OPEN (its online flags may change).
    static func biggestOpenRun(_ fixture: UIFixture) throws -> Int {
        try fixture.api.queries.runs(asOf: fixture.api.runtime.checkpoint).filter { $0.state == .open }
            .max { ($0.lumisectionCount ?? 0, $0.run) < ($1.lumisectionCount ?? 0, $1.run) }!.run
    }

    @Test func runsTableFiltersAndPagesLikeTheNativeAPI() async throws {
        let fixture = try await UIFixture.make()
        try await fixture.test { client in
            let browser = Browser(client)
            for query in ["class=Collisions24", "state=OPEN", "significant=true&from=378010", "class=Collisions24&limit=5&offset=5"] {
                let page = try await browser.get("/ui/runs?\(query)")
                #expect(page.status == .ok)
                let api = try await browser.get("/v1/runs?\(query)")
                let expected = api.text.components(separatedBy: "\"run_number\":").dropFirst().map { String($0.prefix { $0.isNumber }) }
                #expect(page.values(of: "data-run") == expected, "\(query)")
                #expect(page.values(of: "data-count").first == api.text.components(separatedBy: "\"count\":").dropFirst().first.map { String($0.prefix { $0.isNumber }) })
            }
            let all = try await browser.get("/ui/runs?limit=25")
            #expect(all.text.contains("id=\"page-next\""))
            #expect(all.values(of: "data-run").count == 25)
        }
    }

    @Test func badWithoutACommentIsRefusedInlineAndWithACommentIsRecordedAsTheShifter() async throws {
        let fixture = try await UIFixture.make()
        let run = try Self.biggestOpenRun(fixture)
        try await fixture.test { client in
            let shifter = Browser(client, as: "shifter@demo")
            let grid = try await shifter.get("/ui/runs/\(run)/grid?dataset=online")
            #expect(grid.status == .ok)
            #expect(grid.text.contains("id=\"edit-form\""))
            let component = grid.values(of: "data-lane").first { $0.hasPrefix("tracker") } ?? grid.values(of: "data-lane")[0]
            let before = fixture.head
            let refused = try await shifter.post(
                "/ui/runs/\(run)/grid",
                form: [("csrf", shifter.csrf), ("dataset", "online"), ("component", component), ("start", "100"), ("end", "120"), ("status", "BAD")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("id=\"edit-error\""))
            #expect(refused.text.lowercased().contains("comment"))
            #expect(fixture.head == before, "a refused edit appends nothing")

            let saved = try await shifter.post(
                "/ui/runs/\(run)/grid",
                form: [
                    ("csrf", shifter.csrf), ("dataset", "online"), ("component", component), ("start", "100"), ("end", "120"),
                    ("status", "BAD"), ("comment", "HV trip in the barrel"), ("cause", "HV"),
                ])
            #expect(saved.status == .seeOther, "\(saved.text.components(separatedBy: "edit-error\">").dropFirst().first?.prefix(300) ?? "")")
            let location = saved.headers[.location] ?? ""
            #expect(location.contains("saved="))
            let after = try await shifter.get(location)
            #expect(after.text.contains("id=\"flash\""))
            #expect(after.text.contains("data-component=\"\(component)\" data-start=\"100\" data-end=\"120\" data-status=\"BAD\""))
            let last = try fixture.log.read { try $0.event(at: fixture.head) }!
            #expect(AuditEntry(last).actor == "shifter@demo")
            #expect(last.type == "LumisectionFlagsSet")
            #expect(after.text.contains("set by shifter@demo"))
        }
    }

    @Test func aViewerSeesNoEditFormAndAForgedPostIsRefused() async throws {
        let fixture = try await UIFixture.make()
        let run = try Self.biggestRun(fixture)
        try await fixture.test { client in
            let viewer = Browser(client, as: "viewer@demo")
            let grid = try await viewer.get("/ui/runs/\(run)/grid?dataset=online")
            #expect(!grid.text.contains("id=\"edit-form\""))
            #expect(grid.text.contains("id=\"no-edit\""))
            let component = grid.values(of: "data-lane")[0]
            let before = fixture.head
            let form = [
                ("dataset", "online"), ("component", component), ("start", "1"), ("end", "2"), ("status", "BAD"), ("comment", "forged"),
            ]
            let forged = try await viewer.post("/ui/runs/\(run)/grid", form: [("csrf", viewer.csrf)] + form)
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("id=\"error-message\""))
            let noToken = try await Browser(client, as: "expert@demo").post("/ui/runs/\(run)/grid", form: form)
            #expect(noToken.status == .forbidden)
            #expect(noToken.text.contains("anti-forgery"))
            #expect(fixture.head == before)
        }
    }

    @Test func aPastVersionShowsTheBannerAndTheEarlierState() async throws {
        let fixture = try await UIFixture.make()
        let run = try Self.biggestOpenRun(fixture)
        try await fixture.test { client in
            let expert = Browser(client, as: "expert@demo")
            _ = try await expert.get("/ui/runs/\(run)")
            let earlier = fixture.head
            let moved = try await expert.post("/ui/runs/\(run)", form: [("csrf", expert.csrf), ("action", "class"), ("class", "Commissioning24")])
            #expect(moved.status == .seeOther, "\(moved.text.components(separatedBy: "form-error\">").dropFirst().first?.prefix(200) ?? "")")
            let now = try await expert.get("/ui/runs/\(run)")
            #expect(now.text.contains("<dd id=\"run-class\">Commissioning24</dd>"))
            #expect(!now.text.contains("id=\"past-banner\""))
            let past = try await expert.get("/ui/runs/\(run)?as_of=\(earlier)")
            #expect(past.text.contains("id=\"past-banner\""))
            #expect(past.text.contains("version \(earlier)"))
            #expect(!past.text.contains("<dd id=\"run-class\">Commissioning24</dd>"))
            #expect(!past.text.contains("id=\"class-form\""), "no edits at a past version")
            let beyond = try await expert.get("/ui/runs/\(run)?as_of=\(fixture.head + 1000)")
            #expect(beyond.status == .notFound)
            #expect(beyond.text.contains("beyond the latest version"))
            let missing = try await expert.get("/ui/runs/1")
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("run 1 does not exist"))
            let closed = try await expert.get("/ui/runs/\(try Self.biggestRun(fixture))/grid?dataset=online")
            #expect(closed.text.contains("change only while it is OPEN"))
            let notYet = try await expert.get("/ui/runs/\(run)?as_of=1")
            #expect(notYet.status == .notFound)
        }
    }

    @Test func goldenDownloadIsTheProjectionsCanonicalJSON() async throws {
        let fixture = try await UIFixture.make()
        try await fixture.test { client in
            let browser = Browser(client)
            let version = fixture.api.runtime.checkpoint
            let page = try await browser.get("/ui/golden?projection=golden-collisions")
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"golden-download\""))
            let download = try await browser.get("/ui/golden/download?projection=golden-collisions&as_of=\(version)")
            let expected = try fixture.api.certificationJSONs["golden-collisions"]!.result(asOf: version).certified.canonicalBytes
            #expect(Array(download.body.readableBytesView) == expected)
            #expect(download.headers[.contentDisposition]?.contains("attachment") == true)
            let api = try await browser.get("/v1/golden?projection=golden-collisions&as_of=\(version)&format=json")
            #expect(Array(api.body.readableBytesView) == expected)
            let runs = page.values(of: "data-runs").first.flatMap(Int.init)
            #expect(runs == (try JSONSerialization.jsonObject(with: Data(expected)) as? [String: Any])?.count)
        }
    }

    @Test func aPastedRuleIsComputedOnDemandAndABadRuleIsExplainedInline() async throws {
        let fixture = try await UIFixture.make()
        try await fixture.test { client in
            let browser = Browser(client)
            _ = try await browser.get("/ui/golden")
            let good = try await browser.post(
                "/ui/golden",
                form: [("csrf", browser.csrf), ("rule", #"{"==": [{"var": "lumisection.rr.tracker-pixel"}, "GOOD"]}"#), ("dataset_filter", "online")])
            #expect(good.status == .ok)
            #expect(good.text.contains("computed on demand"))
            let bad = try await browser.post("/ui/golden", form: [("csrf", browser.csrf), ("rule", "{not json"), ("dataset_filter", "%")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"golden-error\""))
        }
    }

    @Test func luminosityPlotCarriesTheThreeSeriesWithTheProjectionsCertifiedTotal() async throws {
        let fixture = try await UIFixture.make()
        try await fixture.test { client in
            let browser = Browser(client)
            let page = try await browser.get("/ui/plots/lumi?projection=golden-collisions")
            #expect(page.status == .ok)
            #expect(page.values(of: "data-series") == ["delivered", "recorded", "certified"])
            let totals = page.values(of: "data-total").compactMap(Double.init)
            let recordedIn = try fixture.api.certificationJSONs["golden-collisions"]!.result(asOf: fixture.api.runtime.checkpoint).recordedIn
            let unit = page.values(of: "data-unit").first ?? ""
            let scale = unit.contains("fb") ? 1000.0 : 1.0
            #expect(totals.count == 3)
            #expect(abs(totals[2] * scale - recordedIn) <= max(1e-6, recordedIn * 1e-6) + 0.001 * scale)
            let unknown = try await browser.get("/ui/plots/lumi?class=Collisions99")
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains("no run of class"))
            let svg = try await browser.get("/ui/plots/lumi.svg?projection=golden-collisions")
            #expect(svg.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
        }
    }

    @Test func devSignInKeepsTheChosenIdentityInACookie() async throws {
        let fixture = try await UIFixture.make()
        try await fixture.test { client in
            let browser = Browser(client)
            let page = try await browser.get("/ui/signin")
            #expect(page.text.contains("value=\"tracker@demo\""))
            let signed = try await browser.post("/ui/signin", form: [("csrf", browser.csrf), ("email", "expert@demo"), ("return", "/ui/config")])
            #expect(signed.status == .seeOther)
            #expect(signed.headers[.location] == "/ui/config")
            let config = try await browser.get("/ui/config")
            #expect(config.text.contains("data-email=\"expert@demo\""))
            #expect(config.text.contains("id=\"config-form\""))
            let unknown = try await browser.post("/ui/signin", form: [("csrf", browser.csrf), ("email", "mallory@evil")])
            #expect(unknown.status == .badRequest)
        }
    }

    @Test func everyPageAnswersAtTheLatestAndAtAPastVersion() async throws {
        let fixture = try await UIFixture.make()
        let run = try Self.biggestRun(fixture)
        try await fixture.test { client in
            let browser = Browser(client)
            let past = fixture.head / 2
            for path in [
                "/ui/runs", "/ui/runs/\(run)", "/ui/runs/\(run)/grid?dataset=online", "/ui/datasets/\(run)?name=online", "/ui/passes",
                "/ui/golden", "/ui/plots", "/ui/plots/lumi", "/ui/audit?run=\(run)", "/ui/audit?actor=runledger-demo", "/ui/config",
            ] {
                let latest = try await browser.get(path)
                #expect(latest.status == .ok, "\(path)")
                #expect(latest.text.hasPrefix("<!doctype html>"), "\(path)")
                let separator = path.contains("?") ? "&" : "?"
                let old = try await browser.get(path + separator + "as_of=\(past)")
                #expect(old.status == .ok || old.status == .notFound, "\(path) at \(past): \(old.status)")
                if old.status == .ok { #expect(old.text.contains("id=\"past-banner\""), "\(path)") }
            }
            let root = try await browser.get("/")
            #expect(root.status == .seeOther)
            let unknown = try await browser.get("/ui/no-such-page")
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType]?.hasPrefix("text/html") == true)
        }
    }

    @Test func closedReadsAskForAnIdentityWithAReadablePage() async throws {
        let fixture = try await UIFixture.make(readsOpen: false)
        try await fixture.test { client in
            let anonymous = try await Browser(client).get("/ui/runs")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(anonymous.text.contains("sign in"))
            let signIn = try await Browser(client).get("/ui/signin")
            #expect(signIn.status == .ok)
            let viewer = try await Browser(client, as: "viewer@demo").get("/ui/runs")
            #expect(viewer.status == .ok)
            let api = try await Browser(client).get("/v1/runs")
            #expect(api.status == .unauthorized)
            #expect(api.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    @Test func progressPlotEndsAtThePassViewsCounts() async throws {
        let fixture = try await UIFixture.make()
        try await fixture.test { client in
            let version = fixture.api.runtime.checkpoint
            let pass = try fixture.api.queries.datasets(asOf: version).map(\.passKey).first { $0.hasPrefix("prompt/") }!
            let view = try fixture.api.queries.pass(pass, workspace: "global", asOf: version)!
            let page = try await Browser(client).get("/ui/plots/progress?pass=\(pass)&workspace=global")
            #expect(page.status == .ok)
            #expect(page.values(of: "data-series") == ["open", "signoff", "completed"])
            let totals = page.values(of: "data-total").compactMap(Double.init).map(Int.init)
            #expect(totals == [view.datasetCounts[.open] ?? 0, view.datasetCounts[.signOff] ?? 0, view.datasetCounts[.completed] ?? 0])
            let missing = try await Browser(client).get("/ui/plots/progress?pass=no-such-pass")
            #expect(missing.status == .notFound)
        }
    }

    @Test func datasetMovesCommentsAndTheAuditTimelineGoThroughTheDomain() async throws {
        let fixture = try await UIFixture.make()
        let version = fixture.api.runtime.checkpoint
        let dataset = try fixture.api.queries.datasets(asOf: version).last { $0.name.hasPrefix("/PromptReco/") && !$0.workspaceStates.isEmpty }!
        let run = dataset.run
        let workspace = dataset.workspaceStates.keys.sorted()[0]
        try await fixture.test { client in
            let tracker = Browser(client, as: "expert@demo")
            let page = try await tracker.get("/ui/datasets/\(run)?name=\(dataset.name)")
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"dataset-move-form\""))
            let before = fixture.head
            let empty = try await tracker.post(
                "/ui/datasets/\(run)", form: [("csrf", tracker.csrf), ("action", "comment"), ("dataset", dataset.name), ("comment", "  ")])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("id=\"form-error\""))
            #expect(fixture.head == before)
            let comment = try await tracker.post(
                "/ui/datasets/\(run)",
                form: [("csrf", tracker.csrf), ("action", "comment"), ("dataset", dataset.name), ("comment", "pixel layer 1 noisy")])
            #expect(comment.status == .seeOther)
            let after = try await tracker.get(comment.headers[.location] ?? "")
            #expect(after.text.contains("pixel layer 1 noisy"))
            let target = dataset.workspaceStates[workspace] == .open ? "SIGNOFF" : "OPEN"
            let move = try await tracker.post(
                "/ui/datasets/\(run)",
                form: [
                    ("csrf", tracker.csrf), ("action", "move"), ("dataset", dataset.name), ("workspace", workspace), ("to", target),
                    ("reason", "checked by the expert"),
                ])
            #expect(move.status == .seeOther, "\(move.text.components(separatedBy: "form-error\">").dropFirst().first?.prefix(200) ?? "")")
            let moved = try await tracker.get("/ui/datasets/\(run)?name=\(dataset.name)")
            #expect(moved.text.contains("<tr data-workspace=\"\(workspace)\"><td>\(workspace)</td><td><span class=\"status s-\(target)\">\(target)</span>"))
            let timeline = try await tracker.get("/ui/audit?run=\(run)&dataset=\(dataset.name)")
            #expect(timeline.text.contains("data-type=\"CommentAdded\" data-actor=\"expert@demo\""))
            let activity = try await tracker.get("/ui/audit?actor=expert@demo")
            #expect(activity.values(of: "data-actor").allSatisfy { $0 == "expert@demo" })
            #expect(!activity.values(of: "data-actor").isEmpty)
        }
    }

    @Test func goldenDiffAndExplainAnswerForARealChange() async throws {
        let fixture = try await UIFixture.make()
        let version = fixture.api.runtime.checkpoint
        let result = try fixture.api.certificationJSONs["golden-collisions"]!.result(asOf: version)
        let run = Int(result.certified.sortedRuns[0])
        let ls = Int(result.certified.runs[UInt32(run)]![0].lowerBound)
        try await fixture.test { client in
            let browser = Browser(client)
            let explain = try await browser.get("/ui/golden/explain?projection=golden-collisions&run=\(run)&ls=\(ls)")
            #expect(explain.status == .ok)
            #expect(explain.text.contains(">certified</span>"))
            #expect(explain.text.contains("lumisection.rr.tracker-pixel"))
            let early = try await browser.get("/ui/golden/diff?projection=golden-collisions&from=\(version / 2)")
            #expect(early.status == .ok)
            #expect(!early.values(of: "data-run").isEmpty, "the JSON grew between half the log and now")
            let changes = try fixture.api.certificationJSONs["golden-collisions"]!.changeSequences()
            #expect(changes.count > 10 && changes == changes.sorted() && changes.last! <= version)
            let page = try await browser.get("/ui/golden?projection=golden-collisions&as_of=\(changes[changes.count / 2])")
            let previous = page.text.components(separatedBy: "id=\"previous-change\"").first?
                .components(separatedBy: "as_of=").last?.prefix { $0.isNumber }
            #expect(previous.flatMap { UInt64($0) } == changes[changes.count / 2 - 1], "the previous change of the projection")
            #expect(page.text.contains("id=\"next-change\""))
            let same = try await browser.get("/ui/golden/diff?projection=golden-collisions&from=\(version)")
            #expect(same.text.contains("id=\"diff-none\""))
            let backwards = try await browser.get("/ui/golden/diff?projection=golden-collisions&from=\(version)&as_of=\(version / 2)")
            #expect(backwards.status == .badRequest)
        }
    }

    @Test func configEditsGoThroughTheConfigurationCommandsForExpertsOnly() async throws {
        let fixture = try await UIFixture.make()
        try await fixture.test { client in
            let shifter = Browser(client, as: "shifter@demo")
            let readOnly = try await shifter.get("/ui/config")
            #expect(readOnly.text.contains("id=\"config-read-only\""))
            let refused = try await shifter.post(
                "/ui/config", form: [("csrf", shifter.csrf), ("command", "remove-permission"), ("body", #"{"id": 2}"#)])
            #expect(refused.status == .forbidden)
            let expert = Browser(client, as: "expert@demo")
            _ = try await expert.get("/ui/config")
            let bad = try await expert.post("/ui/config", form: [("csrf", expert.csrf), ("command", "set-permission"), ("body", #"{"id": 9}"#)])
            #expect(bad.status == .badRequest || bad.status == .unprocessableContent)
            #expect(bad.text.contains("id=\"config-error\""))
            let added = try await expert.post(
                "/ui/config",
                form: [
                    ("csrf", expert.csrf), ("command", "set-permission"),
                    ("body", #"{"id": 9, "egroup": "cms-dqm-ui-test", "routes": ["comment\\.add"]}"#), ("reason", "UI test"),
                ])
            #expect(added.status == .seeOther)
            let page = try await expert.get("/ui/config")
            #expect(page.text.contains("#9 cms-dqm-ui-test"))
        }
    }

    @Test func oddInputGetsReadableAnswersNotCrashes() async throws {
        let fixture = try await UIFixture.make()
        try await fixture.test { client in
            let browser = Browser(client, as: "shifter@demo")
            let far = try await browser.get("/ui/runs?offset=9223372036854775807&limit=200")
            #expect(far.status == .ok)
            #expect(!far.text.contains("id=\"page-next\""))
            let zero = try await browser.get("/ui/runs?as_of=0")
            #expect(zero.status == .notFound)
            #expect(zero.text.contains("before the first event"))
            for bad in ["/ui/audit?run=378038&ls=-1", "/ui/audit?actor=x&since=bad", "/ui/audit?actor=x&until=bad"] {
                let answer = try await browser.get(bad)
                #expect(answer.status == .badRequest, "\(bad)")
            }
            let missing = try await browser.get("/ui/runs/1")
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("data-email=\"shifter@demo\""), "the error page shows who is signed in")
            for page in ["/ui/runs", "/ui/passes", "/ui/runs/378037", "/ui/datasets/378037?name=/Express/Collisions2024/DQM"] {
                let answer = try await browser.get(page)
                #expect(!answer.text.contains("s-waiting") && !answer.text.contains("s-not significant"), "\(page)")
            }
        }
    }

    @Test func formsNeedATokenThisServerSignedAndComeFromThisSite() async throws {
        let fixture = try await UIFixture.make()
        let run = try Self.biggestOpenRun(fixture)
        try await fixture.test { client in
            let form = [("dataset", "online"), ("component", "cms-cms"), ("start", "1"), ("end", "2"), ("status", "BAD"), ("comment", "beam loss")]
            let planted = Browser(client, as: "shifter@demo")
            planted.cookies["runledger_csrf"] = String(repeating: "ab", count: 16)
            let refused = try await planted.post("/ui/runs/\(run)/grid", form: [("csrf", planted.csrf)] + form)
            #expect(refused.status == .forbidden)
            let before = fixture.head
            let shifter = Browser(client, as: "shifter@demo")
            _ = try await shifter.get("/ui/runs/\(run)/grid")
            #expect(shifter.csrf.contains("."), "a signed token")
            shifter.extraHeaders = ["Sec-Fetch-Site": "cross-site"]
            let crossSite = try await shifter.post("/ui/runs/\(run)/grid", form: [("csrf", shifter.csrf)] + form)
            #expect(crossSite.status == .forbidden)
            shifter.extraHeaders = ["Origin": "https://evil.example"]
            let otherOrigin = try await shifter.post("/ui/runs/\(run)/grid", form: [("csrf", shifter.csrf)] + form)
            #expect(otherOrigin.status == .forbidden)
            #expect(fixture.head == before)
            // A token the attacker fetched for themselves (anonymous) is not the shifter's.
            let attacker = Browser(client)
            _ = try await attacker.get("/ui/runs/\(run)/grid")
            let stolen = Browser(client, as: "shifter@demo")
            stolen.cookies["runledger_csrf"] = attacker.csrf
            let replayed = try await stolen.post("/ui/runs/\(run)/grid", form: [("csrf", attacker.csrf)] + form)
            #expect(replayed.status == .forbidden)
            #expect(fixture.head == before)
            // Behind a proxy that rewrites Host, the browser's Sec-Fetch-Site decides, not Origin against Host.
            shifter.extraHeaders = ["Sec-Fetch-Site": "same-origin", "Origin": "https://runledger.cern.ch"]
            let accepted = try await shifter.post("/ui/runs/\(run)/grid", form: [("csrf", shifter.csrf)] + form)
            #expect(accepted.status == .seeOther, "\(accepted.text.components(separatedBy: "edit-error\">").dropFirst().first?.prefix(200) ?? "")")
        }
    }

    @Test func aRefusedConfigEditKeepsTheChosenCommandAndReason() async throws {
        let fixture = try await UIFixture.make()
        try await fixture.test { client in
            let expert = Browser(client, as: "expert@demo")
            _ = try await expert.get("/ui/config")
            let refused = try await expert.post(
                "/ui/config", form: [("csrf", expert.csrf), ("command", "set-classifier"), ("body", #"{"id": 5}"#), ("reason", "new rule")])
            #expect(refused.status == .badRequest || refused.status == .unprocessableContent)
            #expect(refused.text.contains("<option value=\"set-classifier\" selected>"))
            #expect(refused.text.contains("value=\"new rule\""))
        }
    }

    @Test func runStateMovesForwardAndBackOnlyWithAReason() async throws {
        let fixture = try await UIFixture.make()
        let run = try Self.biggestOpenRun(fixture)
        try await fixture.test { client in
            let shifter = Browser(client, as: "shifter@demo")
            let page = try await shifter.get("/ui/runs/\(run)")
            #expect(page.text.contains("<option value=\"SIGNOFF\">"))
            let forward = try await shifter.post("/ui/runs/\(run)", form: [("csrf", shifter.csrf), ("action", "move"), ("to", "SIGNOFF")])
            #expect(forward.status == .seeOther)
            let signedOff = try await shifter.get("/ui/runs/\(run)")
            #expect(signedOff.text.contains("id=\"run-state\" data-state=\"SIGNOFF\""))
            let before = fixture.head
            let back = try await shifter.post("/ui/runs/\(run)", form: [("csrf", shifter.csrf), ("action", "move"), ("to", "OPEN")])
            #expect(back.status == .unprocessableContent)
            #expect(back.text.contains("needs a reason"))
            #expect(fixture.head == before)
            let reasoned = try await shifter.post(
                "/ui/runs/\(run)", form: [("csrf", shifter.csrf), ("action", "move"), ("to", "OPEN"), ("reason", "tracker recheck")])
            #expect(reasoned.status == .seeOther)
            let last = try fixture.log.read { try $0.event(at: fixture.head) }!
            #expect(last.type == "RunStateMoved")
            #expect(AuditEntry(last).reason == "tracker recheck")
            #expect(AuditEntry(last).actor == "shifter@demo")
        }
    }

    @Test func passDashboardShowsThePassViewsCountsAndOpenItems() async throws {
        let fixture = try await UIFixture.make()
        try await fixture.test { client in
            let version = fixture.api.runtime.checkpoint
            let pass = try fixture.api.queries.datasets(asOf: version).map(\.passKey).first { $0.hasPrefix("express/") }!
            let view = try fixture.api.queries.pass(pass, workspace: "global", asOf: version)!
            let page = try await Browser(client).get("/ui/passes?pass=\(pass)")
            #expect(page.status == .ok)
            let c = view.datasetCounts
            #expect(page.text.contains(
                "<tr data-workspace=\"global\"><td>global</td><td>\(c[.open] ?? 0)</td><td>\(c[.signOff] ?? 0)</td><td>\(c[.completed] ?? 0)</td>"))
            for item in view.openItems.prefix(50) { #expect(page.text.contains(">\(item.dataset.run) \(item.dataset.name)</a>")) }
        }
    }
}
