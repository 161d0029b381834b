import Foundation

/// A plugin that cannot be loaded: missing file, not a library, wrong version.
public struct PluginError: Error, CustomStringConvertible {
    public let description: String
}

/// Loads aggregator plugins: shared libraries built against this version of the
/// EcaZoo module that register into the host's registries.
///
/// A plugin exports two C symbols:
/// - `eca_zoo_plugin_version`: returns the EcaZoo version it was compiled against
///   (``EcaZooVersion/compiledVersion``, inlined into the plugin at build time);
/// - `eca_zoo_plugin_register`: registers its components; returns 0 on success.
///
/// The plugin links no copy of EcaZoo: its references resolve to the host
/// executable's symbols (exported with `--export-dynamic`), so there is one registry.
public enum PluginLoader {
    typealias VersionFunction = @convention(c) () -> UnsafePointer<CChar>
    typealias RegisterFunction = @convention(c) () -> Int32

    nonisolated(unsafe) static var loaded: Set<String> = []

    public static func load(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw PluginError(description: "plugin \(path): no such file")
        }
        let canonical = (path as NSString).standardizingPath
        if loaded.contains(canonical) { return }
        // The version symbol is checked before anything of the plugin runs.
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw PluginError(description: "plugin \(path): cannot be loaded: \(reason)")
        }
        guard let versionSymbol = dlsym(handle, "eca_zoo_plugin_version") else {
            dlclose(handle)
            throw PluginError(description: "plugin \(path): not an eca-zoo plugin (no eca_zoo_plugin_version symbol)")
        }
        let version = String(cString: unsafeBitCast(versionSymbol, to: VersionFunction.self)())
        guard EcaZooVersion.isCompatible(pluginVersion: version) else {
            dlclose(handle)
            throw PluginError(description: "plugin \(path) was built for eca-zoo \(version); this is eca-zoo \(EcaZooVersion.string): rebuild the plugin against this version")
        }
        guard let registerSymbol = dlsym(handle, "eca_zoo_plugin_register") else {
            dlclose(handle)
            throw PluginError(description: "plugin \(path): no eca_zoo_plugin_register symbol")
        }
        Zoo.registerBuiltins()
        let previous = Zoo.registrationOrigin
        Zoo.registrationOrigin = path
        defer { Zoo.registrationOrigin = previous }
        let status = unsafeBitCast(registerSymbol, to: RegisterFunction.self)()
        guard status == 0 else {
            throw PluginError(description: "plugin \(path): registration failed (status \(status))\(Zoo.lastPluginError.map { ": \($0)" } ?? "")")
        }
        loaded.insert(canonical)
    }
}
