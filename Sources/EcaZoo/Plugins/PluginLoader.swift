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
        let canonical = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        if loaded.contains(canonical) { return }
        // The version symbol is checked before anything of the plugin runs.
        // A refused library is never dlclose'd: the Swift runtime has registered its
        // type metadata and conformances, and unloading them crashes later casts.
        guard isSharedLibrary(path) else {
            throw PluginError(description: "plugin \(path): not an eca-zoo plugin (not a shared library)")
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw PluginError(description: "plugin \(path): cannot be loaded: \(reason)")
        }
        guard let versionSymbol = dlsym(handle, "eca_zoo_plugin_version") else {
            throw PluginError(description: "plugin \(path): not an eca-zoo plugin (no eca_zoo_plugin_version symbol)")
        }
        let version = String(cString: unsafeBitCast(versionSymbol, to: VersionFunction.self)())
        guard EcaZooVersion.isCompatible(pluginVersion: version) else {
            throw PluginError(description: "plugin \(path) was built for eca-zoo \(version); this is eca-zoo \(EcaZooVersion.string): rebuild the plugin against this version")
        }
        guard let registerSymbol = dlsym(handle, "eca_zoo_plugin_register") else {
            throw PluginError(description: "plugin \(path): no eca_zoo_plugin_register symbol")
        }
        // A plugin that links its own copy of EcaZoo (e.g. a SwiftPM dynamic library
        // depending on EcaZoo) would register into that copy's registry, which this
        // executable never reads. Every copy of EcaZoo defines `eca_zoo_host_marker`:
        // looked up through the plugin's handle (the plugin and its dependencies only),
        // it must be absent or be the host's own definition.
        if let own = dlsym(handle, hostMarkerSymbol), own != dlsym(dlopen(nil, RTLD_NOW), hostMarkerSymbol) {
            throw PluginError(description: "plugin \(path) carries its own copy of the EcaZoo library, so it would register into a registry eca-zoo never reads: build it against this eca-zoo's modules without linking EcaZoo (scripts/build-plugin PLUGIN_DIR)")
        }
        Zoo.registerBuiltins()
        let before = registeredCount
        Zoo.lastPluginError = nil
        let previous = Zoo.registrationOrigin
        Zoo.registrationOrigin = path
        defer { Zoo.registrationOrigin = previous }
        let status = unsafeBitCast(registerSymbol, to: RegisterFunction.self)()
        guard status == 0 else {
            throw PluginError(description: "plugin \(path): registration failed (status \(status))\(Zoo.lastPluginError.map { ": \($0)" } ?? "")")
        }
        guard registeredCount > before else {
            throw PluginError(description: "plugin \(path): registration reported success but added nothing to eca-zoo's registries (was it linked against its own copy of EcaZoo?)")
        }
        loaded.insert(canonical)
    }

    static let hostMarkerSymbol = "eca_zoo_host_marker"

    /// Entries in all registries, to check that a plugin's registration reached them.
    static var registeredCount: Int {
        Zoo.aggregators.entries.count + Zoo.encoders.entries.count + Zoo.heads.entries.count
            + Zoo.losses.entries.count + Zoo.dataSources.entries.count
    }

    /// Whether `path` starts with the ELF (Linux) or Mach-O (macOS) magic number.
    static func isSharedLibrary(_ path: String) -> Bool {
        guard let file = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? file.close() }
        let magic = [UInt8](file.readData(ofLength: 4))
        guard magic.count == 4 else { return false }
        let elf: [UInt8] = [0x7F, 0x45, 0x4C, 0x46]
        let machO: [[UInt8]] = [[0xCF, 0xFA, 0xED, 0xFE], [0xCE, 0xFA, 0xED, 0xFE], [0xCA, 0xFE, 0xBA, 0xBE]]
        return magic == elf || machO.contains(magic)
    }
}

/// Defined once per copy of the EcaZoo library; ``PluginLoader`` compares the
/// plugin's view of it with the host's to refuse plugins that carry their own copy.
@_cdecl("eca_zoo_host_marker")
public func ecaZooHostMarker() -> Int32 { 1 }
