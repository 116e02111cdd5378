public import LedgerCore

/// The lumisection flags of one dataset in two layers per component: automatic and manual, where manual wins.
///
/// A flag set by a person (``ActorKind/human``) goes to the manual layer and overrides the automatic
/// layer for that component and lumisection until a person releases the override; a flag set by an
/// automatic writer goes to the automatic layer, which stays hidden under any manual flag. The
/// effective flag is the manual one where present, else the automatic one.
public struct FlagLayers: Sendable, Hashable {
    /// Where an effective flag comes from.
    public enum Source: String, Sendable, Hashable {
        /// Set by an automatic writer, not overridden.
        case automatic
        /// Set by a person; it overrides the automatic layer.
        case manual
    }

    /// An effective flag and the layer it comes from.
    public struct Effective: Sendable, Hashable {
        /// The flag.
        public var flag: Flag
        /// The layer.
        public var source: Source

        /// Creates an effective flag.
        public init(flag: Flag, source: Source) {
            self.flag = flag
            self.source = source
        }
    }

    /// The two layers of one component.
    public struct Layers: Sendable, Hashable {
        /// Flags from automatic writers.
        public var automatic = IntervalMap<Flag>()
        /// Flags from people; they override ``automatic``.
        public var manual = IntervalMap<Flag>()

        /// Creates empty layers.
        public init() {}
    }

    /// The layers per component key.
    public private(set) var layers: [String: Layers] = [:]

    /// Creates empty layers.
    public init() {}

    /// The component keys that have any flag, sorted.
    public var components: [String] { layers.keys.sorted() }

    /// Sets `flag` on `range` of `component` in the layer that `actorKind` writes.
    public mutating func set(_ flag: Flag, component: String, range: LumisectionRange, actorKind: ActorKind) {
        switch actorKind {
        case .human: layers[component, default: Layers()].manual.set(flag, over: range)
        case .automatic: layers[component, default: Layers()].automatic.set(flag, over: range)
        }
    }

    /// Removes the manual flags of `component` on `range`, so the automatic ones show again.
    public mutating func releaseOverride(component: String, range: LumisectionRange) {
        guard layers[component] != nil else { return }
        layers[component]!.manual.clear(range)
    }

    /// The effective flag of `component` at lumisection `ls`.
    public func flag(component: String, at ls: Int) -> Flag? {
        effective(component: component, at: ls)?.flag
    }

    /// The effective flag of `component` at lumisection `ls` and its layer.
    public func effective(component: String, at ls: Int) -> Effective? {
        guard let l = layers[component] else { return nil }
        if let m = l.manual.value(at: ls) { return Effective(flag: m, source: .manual) }
        if let a = l.automatic.value(at: ls) { return Effective(flag: a, source: .automatic) }
        return nil
    }

    /// The effective flags of `component` with their layers, as a coalesced map.
    public func effectiveMap(component: String) -> IntervalMap<Effective> {
        guard let l = layers[component] else { return IntervalMap() }
        var out = l.automatic.mapValues { Effective(flag: $0, source: .automatic) }
        for s in l.manual { out.set(Effective(flag: s.value, source: .manual), over: s.range) }
        return out
    }

    /// The effective flags of `component`, without their layers.
    public func flags(component: String) -> IntervalMap<Flag> {
        effectiveMap(component: component).mapValues(\.flag)
    }

    /// Whether any lumisection of `range` has a manual flag for `component`.
    public func hasManualOverride(component: String, in range: LumisectionRange) -> Bool {
        layers[component]?.manual.hasValue(in: range) ?? false
    }

    /// The sub-ranges of `range` where `component` has no flag in either layer.
    public func unflagged(component: String, in range: LumisectionRange) -> [LumisectionRange] {
        guard let l = layers[component] else { return [range] }
        var covered = l.automatic.mapValues { _ in true }
        for s in l.manual { covered.set(true, over: s.range) }
        return covered.gaps(in: range)
    }
}
