/// Why a registration was refused.
public struct RegistrationError: Error, CustomStringConvertible {
    public let description: String
}

/// Name → factory, with a one-line summary and documented parameters.
///
/// The same shape serves aggregators, encoders, heads, losses and data sources;
/// `Factory` is the closure type that builds one from its typed reader.
public final class Registry<Factory> {
    /// A registered component.
    public struct Entry {
        public let name: String
        public let summary: String
        public let parameters: [ParameterSpec]
        public let factory: Factory
        /// Where it came from: "built-in" or a plugin path.
        public let origin: String
    }

    /// What this registry holds, used in messages ("aggregator", "data source").
    public let kind: String
    public private(set) var entries: [Entry] = []

    public init(kind: String) { self.kind = kind }

    /// Registers `factory` under `name`. An empty or already-used name is refused.
    public func register(_ name: String, summary: String, parameters: [ParameterSpec] = [],
                         origin: String? = nil, factory: Factory) throws {
        let origin = origin ?? Zoo.registrationOrigin
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace }) else {
            throw RegistrationError(description: "cannot register \(kind) \"\(name)\": the name must be non-empty and contain no spaces")
        }
        if let existing = entries.first(where: { $0.name == name }) {
            throw RegistrationError(description: "cannot register \(kind) \"\(name)\" from \(origin): the name is already registered (from \(existing.origin))")
        }
        entries.append(Entry(name: name, summary: summary, parameters: parameters, factory: factory, origin: origin))
    }

    /// The names in registration order.
    public var names: [String] { entries.map(\.name) }

    /// The entry for `name`, or nil.
    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }
}
