import Access
import Certification
import Testing

/// The demo access set: who may do what in `serve --demo`.
struct DemoAccessTests {
    private let policy = PermissionPolicy(permissions: DemoAccess.permissions, readsOpen: true)

    private func identity(_ email: String) throws -> Identity {
        try #require(DemoAccess.identities.first { $0.email == email })
    }

    @Test func demoPermissionsAllCompile() {
        #expect(policy.warnings.isEmpty)
        #expect(DemoAccess.commands.count == DemoAccess.permissions.count)
    }

    @Test func shifterMovesRunsAndEditsOnlineFlagsOnly() throws {
        let shifter = try identity("shifter@demo")
        #expect(policy.authorize(shifter, Action(.runMove)) == .allowed)
        #expect(policy.authorize(shifter, Action(.onlineFlagsEdit, "tracker-pixel")) == .allowed)
        #expect(policy.authorize(shifter, Action(.flagsEdit, "tracker-pixel")) != .allowed)
        #expect(policy.authorize(shifter, Action(.configEdit, "permissions")) != .allowed)
    }

    @Test func trackerCertifierEditsTrackerOnly() throws {
        let certifier = try identity("tracker@demo")
        #expect(policy.authorize(certifier, Action(.flagsEdit, "tracker-strip")) == .allowed)
        #expect(policy.authorize(certifier, Action(.datasetMove, "tracker")) == .allowed)
        #expect(policy.authorize(certifier, Action(.flagsEdit, "ecal-ecal")) != .allowed)
    }

    @Test func expertAndLocalModeIdentityMayDoEveryWriteAndTheViewerNone() throws {
        let expert = try identity("expert@demo")
        let api = try identity("api@api")
        let viewer = try identity("viewer@demo")
        for verb in Action.Verb.allCases where verb.isWrite {
            let action = Action(verb, "tracker-pixel")
            #expect(policy.authorize(expert, action) == .allowed)
            #expect(policy.authorize(api, action) == .allowed)
            #expect(policy.authorize(viewer, action) != .allowed)
        }
    }

    @Test func demoConfigurationGivesTheLocalClientItsGroupOnLoopbackOnly() async throws {
        let loopback = DemoAccess.configuration(from: AccessConfiguration(), bindHost: "127.0.0.1")
        #expect(loopback.devLoopbackIdentity)
        let resolver = try await IdentityResolver(configuration: loopback, bindHost: "127.0.0.1")
        let api = try await resolver.resolve(
            AccessRequest(headers: ["email": "api@api"], peerAddress: "127.0.0.1", bindHost: "127.0.0.1"))
        #expect(api == (try identity("api@api")))
        #expect(DemoAccess.configuration(from: AccessConfiguration(), bindHost: "0.0.0.0") == AccessConfiguration())
    }
}
