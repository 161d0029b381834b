import EcaZoo
import Foundation

enum DataCommand {
    static let help = """
    usage: eca-zoo data stats RECIPE.json [--set path=value]...

    Loads the recipe's data and prints its size, set sizes and the normalised
    in-sample dispersion σ̃ (within-set RMS deviation over overall RMS deviation;
    0 = identical elements in every set).
    """

    static func main(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, valued: ["set"], flags: ["help"], command: "data")
        if a.flags.contains("help") { print(help); return ExitStatus.ok }
        guard a.positionals.count == 2, a.positionals[0] == "stats" else {
            throw UsageError(description: "data: usage: eca-zoo data stats RECIPE.json")
        }
        let e = try Experiment.load(file: a.positionals[1], overrides: a.options["set"] ?? [])
        let all = [e.train, e.validation, e.test]
        let sizes = all.flatMap { d in (0..<d.count).map(d.size) }
        print("sets: \(sizes.count) (train \(e.train.count), validation \(e.validation.count), test \(e.test.count))")
        print("elements per set: min \(sizes.min() ?? 0), max \(sizes.max() ?? 0), mean \(f4(Double(sizes.reduce(0, +)) / Double(max(sizes.count, 1))))")
        print("element features: \(e.train.featureWidth)")
        print("normalised in-sample dispersion σ̃: \(f4(e.homogeneity))")
        return ExitStatus.ok
    }
}
