import EcaZoo
import Foundation

enum PlotCommand {
    static let help = """
    usage: eca-zoo plot RUN_DIR... [--output FILE.svg] [--title TEXT]

    Overlays the curves of one or more runs (validation/test PCC, MSE, the
    PCC/MSE gradient ratio, σ_ŷ) in one SVG with a legend and plateau markers.
    Default output: compare.svg in the current directory (or curves.svg of a single run).
    """

    static func main(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, valued: ["output", "title"], flags: ["help"], command: "plot")
        if a.flags.contains("help") { print(help); return ExitStatus.ok }
        guard !a.positionals.isEmpty else { throw UsageError(description: "plot: give at least one run directory") }
        var runs: [RunPlots.Run] = []
        for dir in a.positionals {
            let loaded = try RunReader.read(directory: dir)
            runs.append(RunPlots.Run(label: loaded.label, records: loaded.records, plateauEpoch: loaded.plateauEpoch))
        }
        let output = a.last("output") ?? (runs.count == 1 ? a.positionals[0] + "/curves.svg" : "compare.svg")
        let svg = RunPlots.curves(runs, title: a.last("title") ?? runs.map(\.label).joined(separator: " vs "))
        try AtomicFile.write(Data(svg.utf8), to: output)
        print("wrote \(output)")
        return ExitStatus.ok
    }
}
