import EcaZoo
import Foundation

enum ReportCommand {
    static let help = """
    usage: eca-zoo report SWEEP_DIR

    Summarises a sweep: reads every completed run under SWEEP_DIR/runs (shards
    merged in one folder included), groups members by name without the
    train.seed part, and writes into SWEEP_DIR
      report.md    one table per metric (test PCC, MSE, MAE; validation PCC):
                   mean ± std over seeds, best group in bold, number of seeds
      report.csv   the same numbers, one row per group
      curves.svg   validation PCC and MSE per group (mean, ± std dashed)
      bars.svg     test PCC per group with ± std whiskers
    """

    static func main(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, valued: [], flags: ["help"], command: "report")
        if a.flags.contains("help") { print(help); return ExitStatus.ok }
        guard a.positionals.count == 1 else {
            throw UsageError(description: "report: expected one sweep directory, got \(a.positionals.count); usage: eca-zoo report SWEEP_DIR")
        }
        let report = try SweepReport.load(directory: a.positionals[0])
        let files = try report.write()
        let runs = report.groups.reduce(0) { $0 + $1.runs.count }
        print("\(runs) runs in \(report.groups.count) groups" + (report.skipped.isEmpty ? "" : ", \(report.skipped.count) not completed (left out)"))
        for f in files { print("wrote \(f)") }
        return ExitStatus.ok
    }
}
