import EcaZoo
import Foundation

enum RunCommand {
    static let help = """
    usage: eca-zoo run RECIPE.json [--set path=value]... [--plugin LIB.so]... [--quiet]

    Trains the recipe and writes a run directory (output.dir, default runs/) with
    recipe.resolved.json, metrics.jsonl, model.safetensors, summary.json, curves.svg.

    options:
      --set path=value   override a recipe field; the value is parsed as JSON, else
                         taken as a string (repeatable), e.g.
                         --set model.aggregator.type=softmax --set train.epochs=5
      --plugin LIB.so    load an aggregator plugin first (repeatable; a recipe may
                         also list them in its top-level "plugins")
      --quiet, -q        print only the final result
      --help             this text
    """

    static func main(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, valued: ["set", "plugin"], flags: ["quiet", "help"], command: "run")
        if a.flags.contains("help") { print(help); return ExitStatus.ok }
        guard a.positionals.count == 1 else {
            throw UsageError(description: "run: expected one recipe file, got \(a.positionals.count); usage: eca-zoo run RECIPE.json [--set path=value]...")
        }
        let quiet = a.flags.contains("quiet")
        let experiment = try Experiment.load(file: a.positionals[0], overrides: a.options["set"] ?? [], plugins: a.options["plugin"] ?? [])
        for note in experiment.notes { printError("note: \(note)") }
        var session = RunSession(experiment: experiment, log: { printError($0) })
        session.quiet = quiet
        session.interactive = isatty(STDERR_FILENO) != 0
        let result = try session.execute()
        if let failure = result.failure {
            // One line, like every other error, so scripts and sweep logs can grep it.
            printError("eca-zoo: error: \(failure) (partial run kept in \(result.directory.path))")
            return ExitStatus.failure
        }
        if let best = result.best {
            let t = best.test
            print("best epoch \(best.epoch): val pcc \(f4(best.validation.pcc)) mse \(f4(best.validation.mse))"
                  + (t.map { " | test pcc \($0.pcc.formatted4) mse \($0.mse.formatted4) mae \($0.mae.formatted4)" } ?? ""))
        }
        if let p = result.plateauEpoch { print("validation PCC plateau from epoch \(p)") }
        print(String(format: "%.0f training samples/s", result.samplesPerSecond))
        print("run directory: \(result.directory.path)")
        return ExitStatus.ok
    }
}

func f4(_ v: Double) -> String { String(format: "%.4f", v) }
extension Double { var formatted4: String { f4(self) } }
