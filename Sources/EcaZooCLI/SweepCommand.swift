import EcaZoo
import Foundation

enum SweepCommand {
    static let help = """
    usage: eca-zoo sweep SWEEP.json [--jobs N] [--threads T] [--shard K/N] [--plan] [--set path=value]... [--output DIR]

    Expands a sweep file (base recipe × variants × grid; see docs/sweeps.md),
    checks every member (recipe and data) before running any, then runs each
    member as `eca-zoo run`, at most N at once, with train.threads = cores / N.
    The sweep directory (default sweeps/<sweep file name>) holds sweep.json (the
    state of every member), runs/<member>/ and logs/<member>.log. Rerunning the
    same command resumes: completed members are kept, anything else is redone.

    options:
      --jobs N           members at once (default 1)
      --threads T        BLAS threads per member (default: cores / jobs), e.g. to
                         leave room for other work on a shared machine
      --shard K/N        run only the members whose index % N == K - 1 (1 ≤ K ≤ N),
                         for SLURM arrays or several machines sharing one folder
      --plan             print the members (name and --set arguments) and exit
      --set path=value   an override for every member, applied last (repeatable)
      --output DIR       the sweep directory
      --help             this text

    Exit status: 0 all members done, 1 some member failed, 2 a bad sweep or member.
    """

    static func main(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, valued: ["jobs", "threads", "shard", "set", "output"], flags: ["plan", "help"], command: "sweep")
        if a.flags.contains("help") { print(help); return ExitStatus.ok }
        guard a.positionals.count == 1 else {
            throw UsageError(description: "sweep: expected one sweep file, got \(a.positionals.count); usage: eca-zoo sweep SWEEP.json [--jobs N] [--shard K/N] [--plan]")
        }
        let file = a.positionals[0]
        var jobs = 1
        if let text = a.last("jobs") {
            guard let n = Int(text), n >= 1 else { throw UsageError(description: "sweep: --jobs must be a whole number ≥ 1, got \"\(text)\"") }
            jobs = n
        }
        var shard: (k: Int, n: Int)?
        if let text = a.last("shard") {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
                throw UsageError(description: "sweep: --shard must be K/N with 1 ≤ K ≤ N, got \"\(text)\"")
            }
            shard = (k, n)
        }
        let plan = try SweepPlan.load(file: file, extraOverrides: a.options["set"] ?? [])
        let members = shard.map { plan.shard($0.k, of: $0.n) } ?? plan.members
        let directory = a.last("output")
            ?? "sweeps/" + ((file as NSString).lastPathComponent as NSString).deletingPathExtension

        if a.flags.contains("plan") {
            for m in members {
                print(([m.name] + m.overrides.map { "--set " + shellQuote($0) }).joined(separator: " "))
            }
            return ExitStatus.ok
        }

        let cores = ProcessInfo.processInfo.activeProcessorCount
        var options = SweepRunner.Options(executable: executablePath(), directory: directory)
        options.jobs = jobs
        options.threads = max(1, cores / jobs)
        if let text = a.last("threads") {
            guard let t = Int(text), t >= 1 else { throw UsageError(description: "sweep: --threads must be a whole number ≥ 1, got \"\(text)\"") }
            options.threads = t
        }
        options.shard = shard
        let runner = SweepRunner(plan: plan, members: members, options: options, log: { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        })

        // Every member is checked (recipe and data) before anything runs, with
        // the same overrides its run gets.
        for m in members {
            do {
                _ = try Experiment.load(file: plan.base, overrides: m.overrides + [
                    SweepPlan.assignment("output.dir", .string(runner.runsDirectory)),
                    SweepPlan.assignment("output.name", .string(m.name)),
                    SweepPlan.assignment("train.threads", .number(Double(options.threads))),
                ])
            } catch let e as RecipeError {
                throw UsageError(description: "sweep member \(m.name): \(e)")
            } catch let e as DataError {
                throw UsageError(description: "sweep member \(m.name): \(e)")
            }
        }
        let where_ = shard.map { " (shard \($0.k)/\($0.n) of \(plan.members.count))" } ?? ""
        FileHandle.standardOutput.write(Data("sweep \(file): \(members.count) members\(where_), \(jobs) at once, \(options.threads) thread(s) each; directory \(directory)\n".utf8))
        let (done, failed) = try runner.run()
        print("\(done) done, \(failed) failed; state in \(runner.stateFile); report with: eca-zoo report \(directory)")
        return failed > 0 ? ExitStatus.failure : ExitStatus.ok
    }

    /// This program, so members run with exactly the same build.
    static func executablePath() -> String {
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return link }
        return CommandLine.arguments[0]
    }

    /// `text` quoted for a POSIX shell when it needs it.
    static func shellQuote(_ text: String) -> String {
        let safe = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._=+-/:,@%".contains($0)) }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
