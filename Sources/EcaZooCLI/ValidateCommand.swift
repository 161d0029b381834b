import EcaZoo
import Foundation

enum ValidateCommand {
    static let help = """
    usage: eca-zoo validate RECIPE.json [--set path=value]... [--plugin LIB.so]... [--print]

    Parses and checks the recipe, loads its data and builds its model, without
    training or writing anything. Exit status 0 when valid, 2 with one message
    naming the file and the JSON path otherwise.

    options:
      --set path=value   override a recipe field (as for run)
      --plugin LIB.so    load an aggregator plugin first (repeatable)
      --print            print the resolved recipe (all defaults filled in)
    """

    static func main(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, valued: ["set", "plugin"], flags: ["print", "help"], command: "validate")
        if a.flags.contains("help") { print(help); return ExitStatus.ok }
        guard a.positionals.count == 1 else { throw UsageError(description: "validate: expected one recipe file") }
        let e = try Experiment.load(file: a.positionals[0], overrides: a.options["set"] ?? [], plugins: a.options["plugin"] ?? [])
        for note in e.notes { printError("note: \(note)") }
        if a.flags.contains("print") { print(JSONWriter.pretty(e.resolved)) }
        let params = e.model.parameters.reduce(0) { $0 + $1.value.count }
        print("\(a.positionals[0]): ok — \(e.train.count + e.validation.count + e.test.count) sets, \(params) parameters, σ̃ = \(f4(e.homogeneity))")
        return ExitStatus.ok
    }
}
