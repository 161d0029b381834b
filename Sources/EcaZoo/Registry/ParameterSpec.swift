/// One documented parameter of a registered component: what `eca-zoo list` prints.
public struct ParameterSpec: Sendable, Equatable {
    public let name: String
    /// "number", "integer", "bool", "string", "number or null", …
    public let type: String
    /// The default as it would be written in a recipe.
    public let defaultValue: String
    /// Allowed values or range, e.g. "> 0", "[0, 1]", "linear | tanh | gated".
    public let allowed: String
    public let summary: String

    public init(_ name: String, _ type: String, default defaultValue: String, allowed: String = "", _ summary: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.allowed = allowed
        self.summary = summary
    }
}
