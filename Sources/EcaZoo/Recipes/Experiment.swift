import Foundation
import TensorEngine

/// A recipe turned into typed, built parts: data split and standardised, the
/// model constructed, loss and training settings decoded, with every default
/// filled into `resolved`. Any mistake in the recipe surfaces here, as a
/// ``RecipeError`` or ``DataError``, before anything is written.
public struct Experiment {
    public let recipeFile: String
    /// The recipe with presets expanded, overrides applied and defaults filled in.
    public let resolved: JSONValue
    public let train: SetDataset, validation: SetDataset, test: SetDataset
    public let scaler: Standardizer
    /// σ̃ of the full dataset before standardisation.
    public let homogeneity: Double
    public let model: SetRegressor
    public let loss: RegressionLoss
    public let training: TrainingConfig
    public let output: OutputConfig
    /// Human-readable notes from loading (e.g. keys dropped by a `--set …type=`).
    public let notes: [String]

    /// Where and what a run writes.
    public struct OutputConfig {
        public var directory = "runs"
        public var name: String?
        public var checkpoint = true
        public var plots = true
    }

    /// Parses, expands and validates `file`, applies `overrides` (`path=value`), loads the data and builds the model.
    ///
    /// `plugins` (paths as given, e.g. from `--plugin`) and the recipe's own `plugins`
    /// (relative to the recipe file) are loaded before the model is built, and recorded
    /// as absolute paths in `resolved` so the run's checkpoint can be rebuilt later.
    public static func load(file: String, overrides: [String] = [], plugins: [String] = []) throws -> Experiment {
        Zoo.registerBuiltins()
        var notes: [String] = []
        let raw = try JSONParser.parse(file: file)
        guard case .object = raw else { throw RecipeError(file: file, message: "a recipe must be a JSON object, got \(raw.briefDescription)") }
        let baseDirectory = (file as NSString).deletingLastPathComponent
        var doc = try expandModelPreset(raw, file: file, baseDirectory: baseDirectory)
        let sets = try Overrides(overrides)
        let before = doc
        doc = try sets.apply(to: doc)
        doc = try expandModelPreset(doc, file: file, baseDirectory: baseDirectory)
        let pluginPaths = try loadPlugins(plugins, recipe: doc, file: file, baseDirectory: baseDirectory)
        doc = dropStaleParameters(doc, before: before, notes: &notes)
        return try build(doc, file: file, baseDirectory: baseDirectory, notes: notes, plugins: pluginPaths)
    }

    // MARK: - Plugins

    /// Loads `given` (relative to the working directory) and the recipe's top-level
    /// `plugins` (relative to the recipe file); returns them all as absolute paths.
    static func loadPlugins(_ given: [String], recipe doc: JSONValue, file: String, baseDirectory: String) throws -> [String] {
        let reader = try ConfigReader(doc, file: file)
        let fromRecipe = reader.has("plugins") ? try reader.strings("plugins") : []
        var paths: [String] = []
        for path in given.map(absolutePath) + fromRecipe.map({ absolutePath(DataContext(baseDirectory: baseDirectory).resolve($0)) })
        where !paths.contains(path) {
            paths.append(path)
        }
        for path in paths { try PluginLoader.load(path: path) }
        return paths
    }

    static func absolutePath(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (full as NSString).standardizingPath
    }

    // MARK: - Presets and overrides

    /// `model: "name"` or `model: {"preset": "name", …overrides}` → the preset from `models/`, merged.
    static func expandModelPreset(_ doc: JSONValue, file: String, baseDirectory: String) throws -> JSONValue {
        guard case .object(var top) = doc else { return doc }
        var presetName: String?
        var patch: JSONValue = .object(JSONObject())
        switch top["model"] {
        case .string(let name)?: presetName = name
        case .object(var o)?:
            if case .string(let name)? = o["preset"] {
                presetName = name
                o["preset"] = nil
                patch = .object(o)
            }
        default: break
        }
        guard let name = presetName else { return doc }
        let candidates = [baseDirectory.isEmpty ? "../models" : baseDirectory + "/../models", "models"].map { $0 + "/" + name + ".json" }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            let known = presetNames(baseDirectory: baseDirectory)
            throw RecipeError(file: file, path: "model", message: "no model preset \"\(name)\" (looked in models/); known presets: \(known.isEmpty ? "none" : known.joined(separator: ", "))")
        }
        let preset = try JSONParser.parse(file: path)
        top["model"] = preset.merged(with: patch)
        return .object(top)
    }

    /// The preset names found in `models/`.
    public static func presetNames(baseDirectory: String) -> [String] {
        for dir in [baseDirectory.isEmpty ? "../models" : baseDirectory + "/../models", "models"] {
            if let files = try? FileManager.default.contentsOfDirectory(atPath: dir) {
                return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
            }
        }
        return []
    }

    /// When an override switches a component's `type`, its old parameters that the
    /// new type does not take are dropped (and said so), so
    /// `--set model.aggregator.type=softmax` works on an ECA recipe.
    static func dropStaleParameters(_ doc: JSONValue, before: JSONValue, notes: inout [String]) -> JSONValue {
        guard case .object(var top) = doc, case .object(var model)? = top["model"] else { return doc }
        let sections: [(String, [String])] = [
            ("aggregator", Zoo.aggregators.names), ("encoder", Zoo.encoders.names), ("head", Zoo.heads.names),
        ]
        for (section, _) in sections {
            guard case .object(var o)? = model[section], case .string(let newType)? = o["type"],
                  case .string(let oldType)? = before["model"]?[section]?["type"], oldType != newType else { continue }
            let specs: [ParameterSpec]?
            switch section {
            case "aggregator": specs = Zoo.aggregators.entry(newType)?.parameters
            case "encoder": specs = Zoo.encoders.entry(newType)?.parameters
            default: specs = Zoo.heads.entry(newType)?.parameters
            }
            guard let known = specs.map({ Set($0.map(\.name)) }) else { continue }
            let dropped = o.keys.filter { $0 != "type" && !known.contains($0) }
            for k in dropped { o[k] = nil }
            if !dropped.isEmpty {
                notes.append("model.\(section).type changed from \(oldType) to \(newType): dropped \(dropped.joined(separator: ", ")) (not parameters of \(newType))")
            }
            model[section] = .object(o)
        }
        top["model"] = .object(model)
        return .object(top)
    }

    // MARK: - Decoding

    static func build(_ doc: JSONValue, file: String, baseDirectory: String, notes: [String], plugins: [String] = []) throws -> Experiment {
        let root = try ConfigReader(doc, file: file)
        // Loaded already (see `loadPlugins`); read here so `finish()` accepts the key.
        if root.has("plugins") { _ = try root.strings("plugins") }

        // data
        let dataReader = try root.object("data")
        let sourceName = try dataReader.string("type")
        guard let source = Zoo.dataSources.entry(sourceName) else {
            let suggestion = EditDistance.suggestion(for: sourceName, among: Zoo.dataSources.names).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw dataReader.error(at: "type", "unknown data source \"\(sourceName)\"\(suggestion); known: \(Zoo.dataSources.names.joined(separator: ", "))")
        }
        let splitReader = try dataReader.object("split")
        let folds = try splitReader.optionalInt("folds", where: .atLeast(2))
        let fold = try splitReader.int("fold", default: 0, where: .atLeast(0))
        let trainFraction = try splitReader.double("train", default: 0.7, where: .between(0, 1))
        let valFraction = try splitReader.double("validation", default: 0.15, where: .between(0, 1))
        if trainFraction + valFraction > 1 + 1e-9 {
            throw splitReader.error(at: "validation", "train + validation must be ≤ 1, got \(trainFraction) + \(valFraction)")
        }
        let splitSeed = try splitReader.int("seed", default: 0, where: .atLeast(0))
        let stdReader = try dataReader.object("standardize")
        let stdFeatures = try stdReader.bool("features", default: true)
        let stdTarget = try stdReader.bool("target", default: true)

        // model
        let modelReader = try root.object("model")

        // loss
        let lossReader = try root.object("loss")
        let lossName = try lossReader.string("type", default: "pcc")
        guard let lossEntry = Zoo.losses.entry(lossName) else {
            throw lossReader.error(at: "type", "unknown loss \"\(lossName)\"; known: \(Zoo.losses.names.joined(separator: ", "))")
        }
        let loss = try lossEntry.factory(lossReader)

        // optimizer
        var training = TrainingConfig()
        let opt = try root.object("optimizer")
        training.optimizer.kind = OptimizerConfig.Kind(rawValue: try opt.string("type", default: "adam", oneOf: OptimizerConfig.Kind.allCases.map(\.rawValue)))!
        training.optimizer.learningRate = Float(try opt.double("lr", default: 1e-3, where: .greaterThan(0)))
        training.optimizer.weightDecay = Float(try opt.double("weight_decay", default: 0, where: .atLeast(0)))
        if training.optimizer.kind == .sgd {
            training.optimizer.momentum = Float(try opt.double("momentum", default: 0.9, where: .between(0, 1)))
        } else {
            let betas = try opt.doubles("betas", default: [0.9, 0.999], where: .between(0, 1), minCount: 2, maxCount: 2)
            training.optimizer.beta1 = Float(betas[0]); training.optimizer.beta2 = Float(betas[1])
        }
        let sched = try opt.object("schedule")
        training.optimizer.schedule = try sched.string("type", default: "constant", oneOf: ["constant", "warmup", "cosine", "step"])
        switch training.optimizer.schedule {
        case "warmup":
            training.optimizer.warmupSteps = try sched.int("warmup_steps", default: 100, where: .atLeast(0))
        case "cosine":
            training.optimizer.warmupSteps = try sched.int("warmup_steps", default: 0, where: .atLeast(0))
            training.optimizer.minFactor = Float(try sched.double("min_factor", default: 0, where: .between(0, 1)))
        case "step":
            training.optimizer.stepEvery = try sched.int("every", default: 1000, where: .atLeast(1))
            training.optimizer.stepGamma = Float(try sched.double("gamma", default: 0.5, where: .greaterThan(0)))
        default: break
        }

        // train
        let tr = try root.object("train")
        training.epochs = try tr.int("epochs", default: 30, where: .atLeast(1))
        training.batchSize = try tr.int("batch_size", default: 64, where: .atLeast(2))
        training.seed = UInt64(try tr.int("seed", default: 0, where: .atLeast(0)))
        training.threads = try tr.int("threads", default: 1, where: .atLeast(1))
        training.selectBy = try tr.string("select_by", default: "pcc", oneOf: ["pcc", "mse", "rmse", "mae"])
        training.patience = try tr.int("patience", default: 0, where: .atLeast(0))
        training.clipNorm = try tr.optionalDouble("clip_norm", where: .greaterThan(0)).map(Float.init) ?? (tr.has("clip_norm") ? nil : 5)
        let diag = try tr.object("diagnostics")
        training.diagnostics.enabled = try diag.bool("enabled", default: true)
        training.diagnostics.plateauWindow = try diag.int("plateau_window", default: 3, where: .atLeast(1))
        training.diagnostics.plateauTolerance = try diag.double("plateau_tolerance", default: 0.005, where: .atLeast(0))
        training.diagnostics.sampleSize = try diag.int("sample_size", default: 512, where: .atLeast(2))

        // output
        var output = OutputConfig()
        let out = try root.object("output")
        output.directory = try out.string("dir", default: "runs")
        // An empty dir would put the run directory at the file-system root.
        if output.directory.isEmpty { throw out.error(at: "dir", "must not be empty (use \".\" for the current directory)") }
        output.name = try out.optionalString("name")
        if let name = output.name, name.isEmpty || name.contains("/") || name == "." || name == ".." {
            throw out.error(at: "name", "must be a plain directory name (not empty, \".\" or \"..\", no \"/\"), got \"\(name)\"")
        }
        output.checkpoint = try out.bool("checkpoint", default: true)
        output.plots = try out.bool("plots", default: true)
        // These sections are read in full: refuse their misspelt keys now, before the
        // data is loaded and before a default standing in for a typo fails a later check.
        for section in [splitReader, stdReader, lossReader, opt, tr, out] { try section.finish() }

        // Data: generated or loaded now, so data errors come before any output.
        let data = try source.factory(dataReader, DataContext(baseDirectory: baseDirectory))
        guard data.count > 0 else { throw DataError.invalid(file: file, row: nil, column: nil, reason: "data: the dataset is empty") }
        for s in 0..<data.count where data.size(s) == 0 {
            throw DataError.invalid(file: file, row: nil, column: nil, reason: "data: set \(s) has no elements")
        }
        let split = folds.map { Split.kFold(count: data.count, folds: $0, fold: fold, seed: UInt64(splitSeed)) }
            ?? Split.fractions(count: data.count, train: trainFraction, validation: valFraction, seed: UInt64(splitSeed))
        if let k = folds, fold >= k { throw splitReader.error(at: "fold", "must be < folds (\(k)), got \(fold)") }
        guard split.validation.count >= 2 else {
            throw splitReader.error(at: "validation", "the validation split has \(split.validation.count) sets; it needs at least 2")
        }
        let rawTrain = data.subset(split.train)
        if let first = rawTrain.targets.first, rawTrain.targets.allSatisfy({ $0 == first }) {
            // ρ needs spread in y: with a constant target every PCC would be 0/0.
            throw DataError.invalid(file: file, row: nil, column: nil,
                                    reason: "data: the target is constant (\(first)) over the training split, so the Pearson correlation is undefined")
        }
        let scaler = Standardizer.fit(rawTrain, features: stdFeatures, target: stdTarget)

        let model = try buildModel(modelReader, featureWidth: data.featureWidth, rng: RandomGenerator(seed: training.seed))
        try root.finish()
        // After `finish()`, so a misspelt "train" section is reported as such, not as its default batch size.
        guard training.batchSize <= split.train.count else {
            throw tr.error(at: "batch_size", "must be ≤ the training split (\(split.train.count) sets), got \(training.batchSize)")
        }

        var resolved = root.resolved
        if !plugins.isEmpty { resolved["plugins"] = .array(plugins.map(JSONValue.string)) }
        return Experiment(recipeFile: file, resolved: .object(resolved),
                          train: scaler.apply(rawTrain), validation: scaler.apply(data.subset(split.validation)),
                          test: scaler.apply(data.subset(split.test)), scaler: scaler,
                          homogeneity: Homogeneity.normalizedDispersion(data),
                          model: model,
                          loss: loss, training: training, output: output, notes: notes)
    }

    /// Encoder → aggregator → head from a `model` section, each sized by the one before.
    static func buildModel(_ r: ConfigReader, featureWidth: Int, rng: RandomGenerator) throws -> SetRegressor {
        let encoder = try buildComponent(Zoo.encoders, try r.object("encoder"), default: "mlp",
                                         BuildContext(inputWidth: featureWidth, rng: rng, name: "encoder"))
        let aggregator = try buildComponent(Zoo.aggregators, try r.object("aggregator"), default: nil,
                                            BuildContext(inputWidth: encoder.outputWidth, rng: rng, name: "aggregator"))
        let head = try buildComponent(Zoo.heads, try r.object("head"), default: "linear",
                                      BuildContext(inputWidth: aggregator.outputWidth, rng: rng, name: "head"))
        return SetRegressor(encoder: encoder, aggregator: aggregator, head: head)
    }

    static func buildComponent<T>(_ registry: Registry<(ConfigReader, BuildContext) throws -> T>, _ r: ConfigReader,
                                  default defaultType: String?, _ context: BuildContext) throws -> T {
        let name = try r.string("type", default: defaultType)
        guard let entry = registry.entry(name) else {
            let suggestion = EditDistance.suggestion(for: name, among: registry.names).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw r.error(at: "type", "unknown \(registry.kind) \"\(name)\"\(suggestion); known: \(registry.names.joined(separator: ", "))")
        }
        return try entry.factory(r, context)
    }
}

extension Experiment {
    /// Rebuilds a model from a resolved recipe's `model` section (for `predict`).
    public static func buildModel(_ model: JSONValue, featureWidth: Int, file: String) throws -> SetRegressor {
        Zoo.registerBuiltins()
        let r = try ConfigReader(model, file: file, path: "model")
        // The weights come from the checkpoint; the seed only fills them until then.
        let built = try buildModel(r, featureWidth: featureWidth, rng: RandomGenerator(seed: 0))
        try r.finish()
        return built
    }
}
