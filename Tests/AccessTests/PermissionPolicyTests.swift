import Access
import Certification
import LedgerCore
import Testing

/// The permission check: anchored patterns, denied by default, Run Registry denial messages.
struct PermissionPolicyTests {
    private let permissions = [
        Permission(id: 1, egroup: "cms-dqm-runregistry-online-shifters", routes: [#"run\.move"#, #"online\.flags\.edit:.*"#]),
        Permission(id: 2, egroup: "cms-dqm-runregistry-offline-tracker-certifiers",
                   routes: [#"flags\.edit:tracker-.*"#, #"dataset\.move:tracker"#]),
        Permission(id: 3, egroup: "cms-dqm-runregistry-experts", routes: [#"run\..*"#, #"flags\.edit:.*"#]),
        Permission(id: 4, egroup: "cms-dqm-runregistry-admins-tracker", routes: [#"flags\.edit:tracker-pixel"#]),
    ]

    private func person(_ groups: Set<String>) -> Identity {
        Identity(email: "jane.doe@cern.ch", egroups: groups, method: .jwt)
    }

    @Test func memberOfAMatchingGroupIsAllowed() {
        let policy = PermissionPolicy(permissions: permissions, readsOpen: true)
        #expect(policy.authorize(person(["cms-dqm-runregistry-online-shifters"]), Action(.runMove)) == .allowed)
        #expect(policy.authorize(person(["x", "cms-dqm-runregistry-offline-tracker-certifiers"]),
                                 Action(.flagsEdit, "tracker-strip")) == .allowed)
    }

    @Test func deniedCallerIsToldTheMatchingGroupsSorted() throws {
        let policy = PermissionPolicy(permissions: permissions, readsOpen: true)
        let decision = policy.authorize(person(["cms-dqm-runregistry-online-shifters"]), Action(.flagsEdit, "tracker-pixel"))
        guard case .denied(let denial) = decision else {
            Issue.record("expected a denial, got \(decision)")
            return
        }
        #expect(denial.egroupsThatMay == [
            "cms-dqm-runregistry-admins-tracker", "cms-dqm-runregistry-experts",
            "cms-dqm-runregistry-offline-tracker-certifiers",
        ])
        #expect(denial.message == "User needs to be part of any of the following e-groups to fulfill this action: "
            + "cms-dqm-runregistry-admins-tracker, cms-dqm-runregistry-experts, cms-dqm-runregistry-offline-tracker-certifiers")
    }

    @Test func actionNoPatternMatchesIsDeniedWithTheNoEgroupMessage() {
        let policy = PermissionPolicy(permissions: permissions, readsOpen: true)
        let decision = policy.authorize(person(["cms-dqm-runregistry-experts"]), Action(.configEdit, "permissions"))
        #expect(decision == .denied(PermissionDenial(action: Action(.configEdit, "permissions"), egroupsThatMay: [])))
        if case .denied(let denial) = decision {
            #expect(denial.message == "There is no egroup that is authorized to do this action (config.edit:permissions)")
        }
    }

    @Test func writesAreDeniedByDefaultWithNoPermissions() {
        let policy = PermissionPolicy(permissions: [], readsOpen: true)
        for verb in Action.Verb.allCases where verb.isWrite {
            #expect(!policy.authorize(person(["cms-dqm-runregistry-experts"]), Action(verb, "x")).isAllowed)
        }
    }

    @Test func patternsMatchTheWholeActionText() {
        let policy = PermissionPolicy(permissions: permissions, readsOpen: true)
        let certifier = person(["cms-dqm-runregistry-offline-tracker-certifiers"])
        #expect(policy.authorize(certifier, Action(.flagsEdit, "tracker-pixel")) == .allowed)
        #expect(policy.authorize(certifier, Action(.flagsEdit, "ecal-ecal")) != .allowed)
        #expect(policy.authorize(certifier, Action(.onlineFlagsEdit, "tracker-pixel")) != .allowed)
        #expect(policy.authorize(certifier, Action(.datasetMove, "trackerx")) != .allowed)

        let shifters = PermissionPolicy(
            permissions: [Permission(id: 1, egroup: "s", routes: [#"run\.move"#, "edit"])], readsOpen: true)
        #expect(shifters.authorize(person(["s"]), Action(.runMove)) == .allowed)
        #expect(shifters.authorize(person(["s"]), Action(.flagsEdit, "run.move")) != .allowed)
        #expect(shifters.authorize(person(["s"]), Action(.runEdit)) != .allowed)
        // "run.move" must not grant a longer action text that merely starts with it.
        #expect(shifters.egroups(allowedTo: Action(.runMove)) == ["s"])
        #expect(shifters.authorize(person(["s"]), Action(.runMove, "2")) != .allowed)
        #expect(shifters.egroups(allowedTo: Action(.runMove, "2")) == [])
        let unanchoredWouldMatch = (try? Regex(#"run\.move"#).firstMatch(in: "run.move2")) != nil
        #expect(unanchoredWouldMatch)
    }

    @Test func invalidPatternIsReportedAndNeverMatches() {
        let policy = PermissionPolicy(
            permissions: [
                Permission(id: 7, egroup: "broken", routes: ["run.(", #"comment\.add"#]),
                Permission(id: 8, egroup: "also-broken", routes: ["[a-"]),
            ],
            readsOpen: true)
        #expect(policy.warnings.map(\.permissionID) == [7, 8])
        #expect(policy.warnings.map(\.pattern) == ["run.(", "[a-"])
        #expect(policy.warnings[0].description.hasPrefix(#"permission 7 (broken): pattern "run.(" never matches"#))
        #expect(policy.authorize(person(["broken"]), Action(.commentAdd)) == .allowed)
        #expect(policy.authorize(person(["broken", "also-broken"]), Action(.runMove)) != .allowed)
        #expect(policy.egroups(allowedTo: Action(.runMove)) == [])
    }

    @Test func anonymousWriteNeedsAuthenticationNotAPermission() {
        let policy = PermissionPolicy(permissions: permissions, readsOpen: true)
        #expect(policy.authorize(nil, Action(.runMove)) == .authenticationRequired)
        #expect(policy.authorize(nil, Action(.configEdit, "permissions")) == .authenticationRequired)
    }

    @Test func readsAreOpenToAnonymousWhenConfigured() {
        let policy = PermissionPolicy(permissions: [], readsOpen: true)
        #expect(policy.authorize(nil, .read) == .allowed)
        #expect(policy.authorize(person([]), .read) == .allowed)
    }

    @Test func closedReadsNeedAnyIdentityButNoGroup() {
        let policy = PermissionPolicy(permissions: [], readsOpen: false)
        #expect(policy.authorize(nil, .read) == .authenticationRequired)
        #expect(policy.authorize(person([]), .read) == .allowed)
    }

    @Test func policyIsBuiltFromThePermissionsConfigurationAggregate() throws {
        var config = ConfigAggregate(kind: .permissions)
        let context = CommandContext(actor: "admin@cern.ch", actorKind: .human, time: LedgerTimestamp(seconds: 0))
        for permission in permissions {
            for event in try config.decide(.setPermission(permission), context: context) {
                config.apply(event, recordedAt: LedgerTimestamp(seconds: 0), actorKind: .human)
            }
        }
        let policy = PermissionPolicy(configuration: config, readsOpen: true)
        #expect(policy.authorize(person(["cms-dqm-runregistry-online-shifters"]), Action(.runMove)) == .allowed)
    }
}
