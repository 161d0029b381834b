import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the members of a sweep as child processes of the `eca-zoo` binary
/// (`eca-zoo run BASE --set … -q`), at most `jobs` at once, keeping the state
/// of every member in a JSON file that is rewritten atomically after each
/// change.
///
/// The sweep directory holds
///
///     sweep.json        state of every member (sweep.shard-K-of-N.json for a shard)
///     runs/NAME/        one run directory per member
///     logs/NAME.log     each member's standard error
///
/// Resuming is decided by the run directories alone: a member is done when
/// `runs/NAME/summary.json` says `"status": "completed"`; anything else is
/// run again after its partial directory is removed. Children left running
/// by a sweep that was killed are found by their command line and stopped first.
public final class SweepRunner {
    /// Where a member stands.
    public enum Status: String, Sendable {
        case pending, running, done, failed
    }

    /// One member's state.
    public struct State {
        public var member: SweepPlan.Member
        public var status: Status = .pending
        public var error: String?
        public var seconds: Double?
        public var testPCC: Double?
        public var pid: Int32?
    }

    /// How to run.
    public struct Options {
        /// The `eca-zoo` executable to start for each member.
        public var executable: String
        /// The sweep directory.
        public var directory: String
        /// Most members at once.
        public var jobs = 1
        /// `train.threads` for each member.
        public var threads = 1
        /// `(k, n)` when running shard k of n.
        public var shard: (k: Int, n: Int)?

        public init(executable: String, directory: String) {
            self.executable = executable
            self.directory = directory
        }
    }

    public let plan: SweepPlan
    public let options: Options
    public private(set) var states: [State]
    /// Progress lines.
    public var log: (String) -> Void

    /// - Parameter members: the members to run (all of `plan`, or one shard).
    public init(plan: SweepPlan, members: [SweepPlan.Member], options: Options, log: @escaping (String) -> Void) {
        self.plan = plan
        self.options = options
        self.states = members.map { State(member: $0) }
        self.log = log
    }

    /// The state file: `sweep.json`, or `sweep.shard-K-of-N.json` so shards
    /// sharing one folder never overwrite each other's state.
    public var stateFile: String {
        let name = options.shard.map { "sweep.shard-\($0.k)-of-\($0.n).json" } ?? "sweep.json"
        return options.directory + "/" + name
    }

    public var runsDirectory: String { options.directory + "/runs" }

    /// The run directory of `member`.
    public func runDirectory(_ member: SweepPlan.Member) -> String { runsDirectory + "/" + member.name }

    /// Whether `directory` holds a finished run.
    public static func isCompleted(_ directory: String) -> Bool {
        guard let summary = try? JSONParser.parse(file: directory + "/summary.json") else { return false }
        return summary["status"]?.stringValue == "completed"
    }

    /// Runs every member not yet done. Returns how many are done and failed.
    public func run() throws -> (done: Int, failed: Int) {
        let fm = FileManager.default
        for dir in [runsDirectory, options.directory + "/logs"] {
            do { try fm.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw FileError(.createDirectory, path: dir, code: EACCES)
            }
        }
        stopOrphans()
        var already = 0
        for i in states.indices {
            let dir = runDirectory(states[i].member)
            if SweepRunner.isCompleted(dir) {
                states[i].status = .done
                states[i].testPCC = SweepRunner.testPCC(dir)
                already += 1
            } else if fm.fileExists(atPath: dir) {
                try? fm.removeItem(atPath: dir)
            }
        }
        try save()
        let total = states.count
        if already > 0 { log("\(already) of \(total) members already done; running the other \(total - already)") }

        var finished = already
        var running: [(index: Int, process: Process, started: Date)] = []
        var next = states.indices.filter { states[$0].status == .pending }[...]
        while !next.isEmpty || !running.isEmpty {
            while running.count < options.jobs, let i = next.popFirst() {
                let process = try launch(states[i].member)
                states[i].status = .running
                states[i].pid = process.processIdentifier
                running.append((i, process, Date()))
                try save()
            }
            Thread.sleep(forTimeInterval: 0.05)
            for slot in running where !slot.process.isRunning {
                running.removeAll { $0.index == slot.index }
                let i = slot.index, member = states[i].member
                let seconds = Date().timeIntervalSince(slot.started)
                let dir = runDirectory(member)
                states[i].pid = nil
                states[i].seconds = seconds
                finished += 1
                if slot.process.terminationReason == .exit && slot.process.terminationStatus == 0 && SweepRunner.isCompleted(dir) {
                    states[i].status = .done
                    states[i].testPCC = SweepRunner.testPCC(dir)
                    let pcc = states[i].testPCC.map { String(format: "test pcc %.4f, ", $0) } ?? ""
                    log("[\(finished)/\(total)] done \(member.name) (\(pcc)\(String(format: "%.1fs", seconds)))")
                } else {
                    states[i].status = .failed
                    let reason = slot.process.terminationReason == .uncaughtSignal
                        ? "killed by signal \(slot.process.terminationStatus)"
                        : "exit status \(slot.process.terminationStatus)"
                    states[i].error = lastError(member) ?? reason
                    log("[\(finished)/\(total)] failed \(member.name): \(states[i].error!) (\(String(format: "%.1fs", seconds)))")
                }
                try save()
            }
        }
        return (states.filter { $0.status == .done }.count, states.filter { $0.status == .failed }.count)
    }

    // MARK: - Implementation

    private func logFile(_ member: SweepPlan.Member) -> String { options.directory + "/logs/" + member.name + ".log" }

    private func launch(_ member: SweepPlan.Member) throws -> Process {
        let path = logFile(member)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let err = FileHandle(forWritingAtPath: path) else { throw FileError(.write, path: path, code: errno) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: options.executable)
        var arguments = ["run", plan.base]
        for o in member.overrides { arguments += ["--set", o] }
        for o in [SweepPlan.assignment("output.dir", .string(runsDirectory)),
                  SweepPlan.assignment("output.name", .string(member.name)),
                  SweepPlan.assignment("train.threads", .number(Double(options.threads)))] {
            arguments += ["--set", o]
        }
        process.arguments = arguments + ["-q"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        try? err.close()
        return process
    }

    /// The child's error line (`eca-zoo: error: …`, prefix removed), else its last line.
    private func lastError(_ member: SweepPlan.Member) -> String? {
        guard let data = try? AtomicFile.read(logFile(member)) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let prefix = "eca-zoo: error: "
        if let e = lines.last(where: { $0.hasPrefix(prefix) }) { return String(e.dropFirst(prefix.count)) }
        return lines.last
    }

    static func testPCC(_ directory: String) -> Double? {
        (try? JSONParser.parse(file: directory + "/summary.json"))?["best"]?["test"]?["pcc"]?.doubleValue.flatMap { $0.isFinite ? $0 : nil }
    }

    /// Stops children of an earlier, killed sweep that are still training, so
    /// they cannot write into directories this run is about to redo. They are
    /// found by their command line (`run … --set output.dir=RUNS --set
    /// output.name=MEMBER`, for one of this run's members) and working
    /// directory, so a child started just before the kill — whose pid never
    /// reached the state file — is found too.
    private func stopOrphans() {
        let fm = FileManager.default
        let here = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/cwd")) ?? fm.currentDirectoryPath
        let dirArgument = SweepPlan.assignment("output.dir", .string(runsDirectory))
        let names = Set(states.map { SweepPlan.assignment("output.name", .string($0.member.name)) })
        let me = getpid()
        var stopped: [Int32] = []
        for entry in (try? fm.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != me, let cmdline = try? AtomicFile.read("/proc/\(pid)/cmdline") else { continue }
            let arguments = String(decoding: cmdline, as: UTF8.self).split(separator: "\0").map(String.init)
            guard arguments.count > 1, arguments[1] == "run", arguments.contains(dirArgument),
                  arguments.contains(where: names.contains),
                  (try? fm.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")) == here else { continue }
            if kill(pid, SIGKILL) == 0 { stopped.append(pid) }
        }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, stopped.contains(where: SweepRunner.isAlive) { Thread.sleep(forTimeInterval: 0.05) }
        if !stopped.isEmpty { log("stopped \(stopped.count) member process(es) left running by an earlier sweep") }
    }

    private static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? AtomicFile.read("/proc/\(pid)/stat") else { return false }
        // The state follows the command name in parentheses; a zombie no longer writes.
        let text = String(decoding: stat, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return false }
        return !text[text.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// Rewrites the state file atomically.
    public func save() throws {
        var top = JSONObject()
        top["sweep"] = .string(plan.file)
        top["base"] = .string(plan.base)
        top["shard"] = options.shard.map { .string("\($0.k)/\($0.n)") } ?? .null
        top["jobs"] = .number(Double(options.jobs))
        top["threads"] = .number(Double(options.threads))
        top["members"] = .array(states.map { s in
            var o = JSONObject()
            o["index"] = .number(Double(s.member.index))
            o["name"] = .string(s.member.name)
            o["overrides"] = .array(s.member.overrides.map(JSONValue.string))
            o["status"] = .string(s.status.rawValue)
            o["run"] = .string(runDirectory(s.member))
            o["error"] = s.error.map(JSONValue.string) ?? .null
            o["seconds"] = s.seconds.map(JSONValue.number) ?? .null
            o["test_pcc"] = s.testPCC.map(JSONValue.number) ?? .null
            o["pid"] = s.pid.map { .number(Double($0)) } ?? .null
            return .object(o)
        })
        try AtomicFile.write(Data((JSONWriter.pretty(.object(top)) + "\n").utf8), to: stateFile, durable: false)
    }
}
