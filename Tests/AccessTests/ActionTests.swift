import Access
import Certification
import Testing

/// Actions: their text form, and the action each certification command needs.
struct ActionTests {
    @Test func textIsVerbOrVerbColonTarget() {
        #expect(Action(.runMove).text == "run.move")
        #expect(Action(.flagsEdit, "tracker-pixel").text == "flags.edit:tracker-pixel")
        #expect(Action(.datasetMove, "csc").description == "dataset.move:csc")
        #expect(Action.read.text == "read")
        #expect(!Action.Verb.read.isWrite && Action.Verb.runMove.isWrite)
    }

    @Test func commandsMapToTheActionsTheyNeed() throws {
        let offline = DatasetKey(run: 355_100, name: "/PromptReco/Collisions2022C/DQM")
        let range = try LumisectionRange(1, 10)
        let flag = Flag(.good)
        let cases: [(CertificationCommand, String)] = [
            (.run(1, .moveState(to: .signOff, reason: "")), "run.move"),
            (.run(1, .setClass("Collisions22")), "run.edit"),
            (.run(1, .markSignificant), "run.significance"),
            (.run(1, .setOMSAttributes([:])), "run.refresh"),
            (.run(1, .addComment("hi")), "comment.add"),
            (.dataset(offline, .moveWorkspaceState(workspace: "tracker", to: .completed, reason: "")), "dataset.move:tracker"),
            (.dataset(offline, .setFlags(component: "tracker-pixel", range: range, flag: flag)), "flags.edit:tracker-pixel"),
            (.dataset(.online(run: 1), .setFlags(component: "tracker-pixel", range: range, flag: flag)),
             "online.flags.edit:tracker-pixel"),
            (.dataset(offline, .releaseManualOverride(component: "ecal-es", range: range)), "flags.edit:ecal-es"),
            (.dataset(offline, .setOMSBits(["cms_active": true], range: range, comment: "ok!")), "oms.edit"),
            (.cycle("c1", .setWorkspaceState(workspace: "csc", to: .completed, reason: "")), "cycle.edit:csc"),
            (.cycle("c1", .addDatasets([offline])), "cycle.edit:global"),
            (.config(.removePermission(id: 3)), "config.edit:permissions"),
        ]
        for (command, text) in cases {
            #expect(Action(for: command).text == text)
        }
    }
}
