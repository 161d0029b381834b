/// The library version, recorded in run summaries and checked against plugins.
public enum EcaZooVersion {
    public static let string = "0.1.0"

    /// The version a client was compiled against: inlined into the client at build time,
    /// so a plugin reports the version of the interface it saw, not the host's.
    @inlinable public static var compiledVersion: String { "0.1.0" }

    /// Plugins must match major and minor (the Swift interface may change between minors).
    public static func isCompatible(pluginVersion: String) -> Bool {
        let a = string.split(separator: "."), b = pluginVersion.split(separator: ".")
        return a.count >= 2 && b.count >= 2 && a[0] == b[0] && a[1] == b[1]
    }
}
