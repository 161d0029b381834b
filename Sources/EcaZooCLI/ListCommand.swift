import EcaZoo
import Foundation

enum ListCommand {
    static let help = """
    usage: eca-zoo list [aggregators|encoders|heads|losses|data] [--plugin LIB.so]...

    Lists the registered components with their summaries and parameters
    (type, default, allowed values).
    """

    static func main(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, valued: ["plugin"], flags: ["help"], command: "list")
        if a.flags.contains("help") { print(help); return ExitStatus.ok }
        Zoo.registerBuiltins()
        try loadPlugins(a.options["plugin"] ?? [])
        let which = a.positionals.first
        func rows<F>(_ registry: Registry<F>) -> [(String, String, [ParameterSpec], String)] {
            registry.entries.map { ($0.name, $0.summary, $0.parameters, $0.origin) }
        }
        let sections: [(String, [(String, String, [ParameterSpec], String)])] = [
            ("aggregators", rows(Zoo.aggregators)), ("encoders", rows(Zoo.encoders)), ("heads", rows(Zoo.heads)),
            ("losses", rows(Zoo.losses)), ("data", rows(Zoo.dataSources)),
        ]
        if let w = which, !sections.contains(where: { $0.0 == w }) {
            throw UsageError(description: "list: unknown section \"\(w)\"; sections: \(sections.map(\.0).joined(separator: ", "))")
        }
        for (title, entries) in sections where which == nil || which == title {
            print("\(title):")
            for (name, summary, params, origin) in entries {
                print("  \(name)  — \(summary)\(origin == "built-in" ? "" : "  [plugin: \(origin)]")")
                for p in params {
                    let allowed = p.allowed.isEmpty ? "" : ", \(p.allowed)"
                    print("      \(p.name): \(p.type) = \(p.defaultValue)\(allowed) — \(p.summary)")
                }
            }
            print("")
        }
        return ExitStatus.ok
    }
}

/// Loads plugin libraries named on the command line (a no-op list is fine).
func loadPlugins(_ paths: [String]) throws {
    for p in paths { try PluginLoader.load(path: p) }
}
