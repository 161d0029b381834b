import Foundation
import TensorEngine

/// One `eca-zoo run`: creates the run directory, trains with live progress,
/// writes metrics, checkpoint, summary and plots.
public struct RunSession {
    public let experiment: Experiment
    public var quiet = false
    /// Where progress lines go (standard error at the command line).
    public var log: (String) -> Void
    /// Whether `log` is a terminal: live in-place updates instead of plain lines.
    public var interactive = false

    public init(experiment: Experiment, log: @escaping (String) -> Void) {
        self.experiment = experiment
        self.log = log
    }

    /// What a finished (or failed) run leaves behind.
    public struct Result {
        public var directory: RunDirectory
        public var best: EpochRecord?
        public var final: EpochRecord?
        public var samplesPerSecond: Double
        public var plateauEpoch: Int?
        public var failure: Error?
    }

    /// The default run name: the recipe's file name and a timestamp.
    public static func defaultName(recipeFile: String) -> String {
        let base = ((recipeFile as NSString).lastPathComponent as NSString).deletingPathExtension
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        return "\(base)-\(f.string(from: Date()))"
    }

    public func execute() throws -> Result {
        let e = experiment
        setBLASThreads(e.training.threads)
        let dir = try RunDirectory.create(parent: e.output.directory,
                                          name: e.output.name ?? RunSession.defaultName(recipeFile: e.recipeFile))
        try dir.write("recipe.resolved.json", text: JSONWriter.pretty(e.resolved) + "\n")
        let trainer = Trainer(model: e.model, loss: e.loss, config: e.training,
                              train: e.train, validation: e.validation, test: e.test, scaler: e.scaler)
        let start = Date()
        let epochs = e.training.epochs
        if !quiet {
            log("training \(e.model.parameters.reduce(0) { $0 + $1.value.count }) parameters on \(e.train.count) sets (validation \(e.validation.count), test \(e.test.count)), σ̃ = \(fmt(e.homogeneity)); run directory \(dir.path)")
        }
        if interactive && !quiet {
            // A live line within the epoch, redrawn at most ~10 times a second.
            var lastDraw = Date.distantPast
            trainer.onStep = { epoch, step, steps in
                let now = Date()
                guard now.timeIntervalSince(lastDraw) > 0.1 || step == steps else { return }
                lastDraw = now
                let filled = min(20, step * 20 / max(steps, 1))
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
                FileHandle.standardError.write(Data("\r\u{1B}[2Kepoch \(epoch)/\(epochs) [\(bar)] \(step)/\(steps)  \(String(format: "%.1fs", now.timeIntervalSince(start)))".utf8))
            }
        }
        trainer.onEpoch = { record, isBest in
            if interactive && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            try dir.appendMetrics(record)
            if isBest && e.output.checkpoint {
                try dir.writeCheckpoint(e.model, weights: trainer.bestWeights, resolved: e.resolved, scaler: e.scaler,
                                        featureWidth: e.train.featureWidth)
            }
            guard !quiet else { return }
            let elapsed = Date().timeIntervalSince(start)
            let eta = elapsed / Double(record.epoch) * Double(epochs - record.epoch)
            var line = "epoch \(record.epoch)/\(epochs)  loss \(fmt(record.trainLoss))  val pcc \(fmt(record.validation.pcc)) mse \(fmt(record.validation.mse))"
            if let t = record.test { line += "  test pcc \(fmt(t.pcc))" }
            if let g = record.diagnostics["gamma"] { line += "  γ \(fmt(g))" }
            line += "  \(String(format: "%.1fs", elapsed)) eta \(String(format: "%.0fs", eta))\(isBest ? " *" : "")"
            log(line)
        }
        var failure: Error?
        do { try trainer.run() } catch { failure = error }

        let records = trainer.records
        let plateau = PlateauDetector(window: e.training.diagnostics.plateauWindow, tolerance: e.training.diagnostics.plateauTolerance)
            .plateauEpoch(pcc: records.map(\.validation.pcc), mse: records.map(\.validation.mse))
        let best = records.first { $0.epoch == trainer.bestEpoch }
        let speed = trainer.trainingSeconds > 0 ? Double(trainer.trainingSamples) / trainer.trainingSeconds : 0
        var summary = JSONObject()
        summary["status"] = .string(failure == nil ? "completed" : "failed")
        if let f = failure { summary["error"] = .string("\(f)") }
        summary["best"] = best.map(summaryEntry) ?? .null
        summary["final"] = records.last.map(summaryEntry) ?? .null
        summary["epochs_run"] = .number(Double(records.count))
        summary["plateau_epoch"] = plateau.map { .number(Double($0)) } ?? .null
        summary["homogeneity_sigma_tilde"] = .number(e.homogeneity)
        summary["wall_seconds"] = .number(Date().timeIntervalSince(start))
        summary["train_seconds"] = .number(trainer.trainingSeconds)
        summary["train_samples_per_second"] = .number(speed)
        summary["parameters"] = .number(Double(e.model.parameters.reduce(0) { $0 + $1.value.count }))
        summary["seed"] = .number(Double(e.training.seed))
        summary["threads"] = .number(Double(e.training.threads))
        summary["version"] = .string(EcaZooVersion.string)
        try dir.write("summary.json", text: JSONWriter.pretty(.object(summary)) + "\n")
        if e.output.plots && !records.isEmpty {
            let label = (e.resolved["model"]?["aggregator"]?["type"]?.stringValue) ?? "run"
            try dir.write("curves.svg", text: RunPlots.curves([RunPlots.Run(label: label, records: records, plateauEpoch: plateau)],
                                                              title: (dir.path as NSString).lastPathComponent))
        }
        return Result(directory: dir, best: best, final: records.last, samplesPerSecond: speed, plateauEpoch: plateau, failure: failure)
    }

    func summaryEntry(_ r: EpochRecord) -> JSONValue {
        var o = JSONObject(pairs: [("epoch", .number(Double(r.epoch))), ("val", RunDirectory.json(r.validation))])
        if let t = r.test { o["test"] = RunDirectory.json(t) }
        return .object(o)
    }
}

func fmt(_ v: Double) -> String { String(format: "%.4f", v) }
