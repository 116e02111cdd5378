/// Why a known caller may not do an action: which e-groups could, and the message to show.
public struct PermissionDenial: Sendable, Hashable, CustomStringConvertible {
    /// The action that was refused.
    public let action: Action
    /// The e-groups whose patterns match the action, sorted; empty when no pattern matches at all.
    public let egroupsThatMay: [String]

    /// Creates a denial; `egroupsThatMay` is sorted and de-duplicated.
    public init(action: Action, egroupsThatMay: some Sequence<String>) {
        self.action = action
        self.egroupsThatMay = Set(egroupsThatMay).sorted()
    }

    /// The message, in the Run Registry's wording so that the runregistry client recognises it.
    ///
    /// - `User needs to be part of any of the following e-groups to fulfill this action: a, b`
    /// - `There is no egroup that is authorized to do this action (flags.edit:ecal-ecal)`
    public var message: String {
        if egroupsThatMay.isEmpty {
            return "There is no egroup that is authorized to do this action (\(action.text))"
        }
        return "User needs to be part of any of the following e-groups to fulfill this action: "
            + egroupsThatMay.joined(separator: ", ")
    }

    /// The message.
    public var description: String { message }
}
