import EcaZoo
import Foundation

/// A usage mistake: printed with a hint, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String
}

/// Exit statuses (documented in the README and `--help`).
enum ExitStatus {
    static let ok: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}

/// The `eca-zoo` command line as a library, so a program can register its own
/// components and then hand over:
///
/// ```swift
/// import EcaZoo
/// import EcaZooCLI
/// try Zoo.aggregators.register("mine", summary: "my pooling") { reader, context in MyAggregator(context) }
/// exit(CommandLineTool.main(Array(CommandLine.arguments.dropFirst())))
/// ```
public enum CommandLineTool {
    static let commands: [(name: String, summary: String)] = [
        ("run", "train a recipe and write a run directory"),
        ("validate", "check a recipe (and its data) without training"),
        ("list", "list aggregators, encoders, heads, losses and data sources with their parameters"),
        ("predict", "predict with a trained run: predict RUN_DIR INPUT.csv"),
        ("plot", "overlay the curves of one or more runs into one SVG"),
        ("data", "dataset tools: data stats RECIPE"),
        ("bench", "measure training throughput against raw sgemm"),
        ("sweep", "run an ablation sweep (variants × grid), resumable and shardable"),
        ("report", "summarise a sweep directory: report.md, report.csv, curves.svg"),
    ]

    static var usage: String {
        """
        eca-zoo \(EcaZooVersion.string): attention-based set regression, ECA and its baselines

        usage: eca-zoo <command> [options]

        commands:
        \(commands.map { "  " + $0.name.padding(toLength: 10, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

        Run `eca-zoo <command> --help` for a command's options.
        Exit status: 0 ok, 1 runtime failure (diverged training, I/O), 2 usage, recipe or data error.
        """
    }

    /// Runs one command (`args` without the program name); returns the exit status.
    public static func main(_ args: [String]) -> Int32 {
        guard let command = args.first else {
            FileHandle.standardError.write(Data((usage + "\n").utf8))
            return ExitStatus.usage
        }
        let rest = Array(args.dropFirst())
        do {
            switch command {
            case "--help", "-h", "help": print(usage); return ExitStatus.ok
            case "--version", "-V", "version": print("eca-zoo \(EcaZooVersion.string)"); return ExitStatus.ok
            case "run": return try RunCommand.main(rest)
            case "validate": return try ValidateCommand.main(rest)
            case "list": return try ListCommand.main(rest)
            case "predict": return try PredictCommand.main(rest)
            case "plot": return try PlotCommand.main(rest)
            case "data": return try DataCommand.main(rest)
            case "bench": return try BenchCommand.main(rest)
            case "sweep": return try SweepCommand.main(rest)
            case "report": return try ReportCommand.main(rest)
            default:
                let known = commands.map(\.name)
                let close = known.first { $0.hasPrefix(String(command.prefix(2))) }
                throw UsageError(description: "unknown command \"\(command)\"\(close.map { "; did you mean \"\($0)\"?" } ?? ""); run `eca-zoo --help`")
            }
        } catch {
            return report(error)
        }
    }

    /// Prints one clear line and maps the error to its exit status.
    static func report(_ error: Error) -> Int32 {
        let text: String
        let status: Int32
        switch error {
        case let e as UsageError: text = e.description; status = ExitStatus.usage
        case let e as RecipeError: text = e.description; status = ExitStatus.usage
        case let e as DataError: text = e.description; status = ExitStatus.usage
        case let e as RegistrationError: text = e.description; status = ExitStatus.usage
        case let e as PluginError: text = e.description; status = ExitStatus.usage
        case let e as CustomStringConvertible: text = e.description; status = ExitStatus.failure
        default: text = "\(error)"; status = ExitStatus.failure
        }
        FileHandle.standardError.write(Data("eca-zoo: error: \(text)\n".utf8))
        return status
    }
}

/// Minimal option parsing shared by the commands: `--flag`, `--key value`, `--key=value`, positionals.
struct Arguments {
    var positionals: [String] = []
    var options: [String: [String]] = [:]
    var flags: Set<String> = []

    init(_ args: [String], valued: Set<String>, flags allowedFlags: Set<String>, command: String) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") {
                var key = String(a.dropFirst(2)), value: String?
                if let eq = key.firstIndex(of: "=") { value = String(key[key.index(after: eq)...]); key = String(key[..<eq]) }
                if valued.contains(key) {
                    if value == nil {
                        guard i + 1 < args.count else { throw UsageError(description: "\(command): --\(key) needs a value") }
                        i += 1; value = args[i]
                    }
                    options[key, default: []].append(value!)
                } else if allowedFlags.contains(key) {
                    guard value == nil else { throw UsageError(description: "\(command): --\(key) takes no value") }
                    flags.insert(key)
                } else {
                    throw UsageError(description: "\(command): unknown option --\(key); run `eca-zoo \(command) --help`")
                }
            } else if a == "-q" && allowedFlags.contains("quiet") {
                flags.insert("quiet")
            } else if a == "-h" {
                flags.insert("help")
            } else {
                positionals.append(a)
            }
            i += 1
        }
    }

    func last(_ key: String) -> String? { options[key]?.last }
}

func printError(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
