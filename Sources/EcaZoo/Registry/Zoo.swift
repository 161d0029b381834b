import TensorEngine

/// Builds an aggregator from its config section.
public typealias AggregatorFactory = (ConfigReader, BuildContext) throws -> any Aggregator
/// Builds an element encoder; `BuildContext.inputWidth` is the data's feature width.
public typealias EncoderFactory = (ConfigReader, BuildContext) throws -> any Encoder
/// Builds a head; `BuildContext.inputWidth` is the pooled width.
public typealias HeadFactory = (ConfigReader, BuildContext) throws -> any Head
/// Builds the training objective.
public typealias LossFactory = (ConfigReader) throws -> RegressionLoss
/// Loads or generates a dataset.
public typealias DataSourceFactory = (ConfigReader, DataContext) throws -> SetDataset

/// Where a data source resolves relative paths and reports errors.
public struct DataContext {
    /// Directory of the recipe file, for relative data paths.
    public let baseDirectory: String
    public init(baseDirectory: String) { self.baseDirectory = baseDirectory }

    /// `path` made relative to the recipe's directory unless absolute.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") || baseDirectory.isEmpty ? path : baseDirectory + "/" + path
    }
}

/// The registries: the one place where names map to types.
///
/// Built-ins are registered on first use; plugins add to the same registries.
public enum Zoo {
    nonisolated(unsafe) public static let aggregators = Registry<AggregatorFactory>(kind: "aggregator")
    nonisolated(unsafe) public static let encoders = Registry<EncoderFactory>(kind: "encoder")
    nonisolated(unsafe) public static let heads = Registry<HeadFactory>(kind: "head")
    nonisolated(unsafe) public static let losses = Registry<LossFactory>(kind: "loss")
    nonisolated(unsafe) public static let dataSources = Registry<DataSourceFactory>(kind: "data source")
    nonisolated(unsafe) static var builtinsRegistered = false
    /// Recorded as the origin of entries registered now ("built-in", or a plugin's path).
    nonisolated(unsafe) public static var registrationOrigin = "built-in"
    /// A plugin may leave a reason here when its registration fails.
    nonisolated(unsafe) public static var lastPluginError: String?

    /// Registers the built-in components once.
    public static func registerBuiltins() {
        guard !builtinsRegistered else { return }
        builtinsRegistered = true
        do {
            try registerAggregators()
            try registerReadouts()
            try registerEncoders()
            try registerHeads()
            try registerLosses()
            try registerDataSources()
            try registerFileSources()
        } catch {
            preconditionFailure("built-in registration failed: \(error)")
        }
    }

    static func registerAggregators() throws {
        let a = aggregators
        try a.register("mean", summary: "mean pooling (convex, no parameters)") { _, c in MeanAggregator(inputWidth: c.inputWidth) }
        try a.register("max", summary: "per-coordinate max pooling") { _, c in MaxAggregator(inputWidth: c.inputWidth) }
        // `gated` is softmax pooling with the gated scorer as its default: a preset, not a copy.
        for (name, kind, summary) in [("softmax", Scorer.Kind.tanh, "softmax attention pooling (convex)"),
                                      ("gated", .gated, "gated attention pooling, tanh ⊙ sigmoid scorer (convex)")] {
            try a.register(name, summary: summary,
                           parameters: Scorer.specs(defaultKind: kind) + [
                               ParameterSpec("temperature", "number", default: "1", allowed: "> 0", "fixed softmax temperature"),
                           ]) { r, c in
                let scorer = try Scorer.read(r, defaultKind: kind, context: c)
                let t = try r.double("temperature", default: 1, where: .greaterThan(0))
                return SoftmaxAggregator(scorer: scorer, temperature: Float(t), inputWidth: c.inputWidth)
            }
        }
        try a.register("pma", summary: "pooling by multi-head attention with learned seeds (Set Transformer)",
                       parameters: [
                           ParameterSpec("key_width", "integer", default: "16", allowed: "≥ 1, divisible by heads", "query/key width"),
                           ParameterSpec("heads", "integer", default: "1", allowed: "≥ 1", "attention heads"),
                           ParameterSpec("seeds", "integer", default: "1", allowed: "≥ 1", "learned seed vectors (pooled vectors averaged)"),
                       ]) { r, c in
            let heads = try r.int("heads", default: 1, where: .atLeast(1))
            let keyWidth = try r.int("key_width", default: 16, where: .atLeast(1))
            let seeds = try r.int("seeds", default: 1, where: .atLeast(1))
            guard keyWidth % heads == 0 else {
                throw r.error(at: "key_width", "must be divisible by heads (\(heads)), got \(keyWidth)")
            }
            return PMAAggregator(inputWidth: c.inputWidth, keyWidth: keyWidth, heads: heads, seedCount: seeds, name: c.name, rng: c.rng)
        }
        try a.register("linear", summary: "linear attention, φ = elu + 1, no softmax (non-convex unless normalize = sum)",
                       parameters: [
                           ParameterSpec("key_width", "integer", default: "16", allowed: "≥ 1", "feature-map width"),
                           ParameterSpec("normalize", "string", default: "\"count\"", allowed: "count | sum", "divide by the set size or by the weight sum"),
                       ]) { r, c in
            let k = try r.int("key_width", default: 16, where: .atLeast(1))
            let norm = try r.string("normalize", default: "count", oneOf: ["count", "sum"])
            return LinearAttentionAggregator(inputWidth: c.inputWidth, keyWidth: k, normalizeBySum: norm == "sum", name: c.name, rng: c.rng)
        }
        try a.register("signed", summary: "signed attention, a = z / Σ|z| (non-convex baseline)",
                       parameters: Scorer.specs(defaultKind: .tanh)) { r, c in
            SignedAggregator(scorer: try Scorer.read(r, defaultKind: .tanh, context: c), inputWidth: c.inputWidth)
        }
        try a.register("eca", summary: "Extrapolative Correlation Attention: DATS temperature + SRA extrapolation",
                       parameters: Scorer.specs(defaultKind: .tanh) + [
                           ParameterSpec("dats", "bool", default: "true", "dispersion-aware temperature τ = t_min + β·D"),
                           ParameterSpec("sra", "bool", default: "true", "scaled residual aggregation v = μ + γ·Σα(h − μ)"),
                           ParameterSpec("t_min", "number", default: "0.1", allowed: "> 0", "minimum temperature T_min"),
                           ParameterSpec("beta", "number", default: "1", allowed: "≥ 0", "dispersion slope β"),
                           ParameterSpec("learnable_beta", "bool", default: "false", "learn β (kept positive by softplus)"),
                           ParameterSpec("gamma_max", "number or null", default: "null", allowed: "> 1", "cap on γ"),
                           ParameterSpec("lambda_gamma", "number", default: "0.01", allowed: "≥ 0", "weight of (γ − 1)² regulariser"),
                           ParameterSpec("gamma_hidden", "integer", default: "16", allowed: "≥ 1", "hidden width of the γ MLP"),
                       ]) { r, c in
            let scorer = try Scorer.read(r, defaultKind: .tanh, context: c)
            var cfg = ECAAggregator.Config()
            cfg.dats = try r.bool("dats", default: true)
            cfg.sra = try r.bool("sra", default: true)
            cfg.tMin = Float(try r.double("t_min", default: 0.1, where: .greaterThan(0)))
            cfg.beta = Float(try r.double("beta", default: 1, where: .atLeast(0)))
            cfg.learnableBeta = try r.bool("learnable_beta", default: false)
            cfg.gammaMax = try r.optionalDouble("gamma_max", where: .greaterThan(1)).map(Float.init)
            cfg.lambdaGamma = Float(try r.double("lambda_gamma", default: 0.01, where: .atLeast(0)))
            cfg.gammaHidden = try r.int("gamma_hidden", default: 16, where: .atLeast(1))
            return ECAAggregator(config: cfg, scorer: scorer, inputWidth: c.inputWidth, name: c.name, rng: c.rng)
        }
    }

    static func registerReadouts() throws {
        try aggregators.register("cls", summary: "[CLS]-token readout: the first element (use with a transformer encoder with cls_token)") { _, c in
            CLSAggregator(inputWidth: c.inputWidth)
        }
    }

    static func registerEncoders() throws {
        try encoders.register("mlp", summary: "the same MLP on every element (DeepSets φ)",
                              parameters: [
                                  ParameterSpec("widths", "array of integers", default: "[32, 32]", allowed: "each ≥ 1", "layer widths; the last is the embedding width"),
                                  ParameterSpec("activation", "string", default: "\"relu\"", allowed: "relu | gelu | tanh", "activation between layers"),
                                  ParameterSpec("activate_last", "bool", default: "true", "apply the activation after the last layer too"),
                              ]) { r, c in
            let widths = try r.ints("widths", default: [32, 32], where: .atLeast(1), minCount: 1)
            let act = ElementMLP.Activation(rawValue: try r.string("activation", default: "relu", oneOf: ElementMLP.Activation.allCases.map(\.rawValue)))!
            let last = try r.bool("activate_last", default: true)
            return ElementMLP(inputWidth: c.inputWidth, widths: widths, activation: act, activateLast: last, name: c.name, rng: c.rng)
        }
        try encoders.register("transformer", summary: "FT-Transformer-style: linear tokenizer + pre-norm self-attention blocks",
                              parameters: [
                                  ParameterSpec("width", "integer", default: "64", allowed: "≥ 1, divisible by heads", "token width"),
                                  ParameterSpec("heads", "integer", default: "8", allowed: "≥ 1", "attention heads"),
                                  ParameterSpec("blocks", "integer", default: "1", allowed: "≥ 1", "transformer blocks"),
                                  ParameterSpec("ffn_factor", "number", default: "2", allowed: "> 0", "feed-forward width / token width"),
                                  ParameterSpec("cls_token", "bool", default: "false", "prepend a learned [CLS] token (for the cls readout)"),
                                  ParameterSpec("norm", "string", default: "\"pre\"", allowed: "pre | post", "LayerNorm before (pre) or after (post) each residual branch"),
                                  ParameterSpec("activation", "string", default: "\"gelu\"", allowed: "relu | gelu | reglu", "feed-forward activation"),
                                  ParameterSpec("dropout", "number", default: "0", allowed: "[0, 1)", "dropout on the attention and feed-forward outputs (training only)"),
                              ]) { r, c in
            let width = try r.int("width", default: 64, where: .atLeast(1))
            let heads = try r.int("heads", default: 8, where: .atLeast(1))
            guard width % heads == 0 else { throw r.error(at: "width", "must be divisible by heads (\(heads)), got \(width)") }
            let blocks = try r.int("blocks", default: 1, where: .atLeast(1))
            let factor = try r.double("ffn_factor", default: 2, where: .greaterThan(0))
            let cls = try r.bool("cls_token", default: false)
            var options = TransformerBlock.Options()
            options.postNorm = try r.string("norm", default: "pre", oneOf: ["pre", "post"]) == "post"
            options.activation = TransformerBlock.Activation(rawValue: try r.string("activation", default: "gelu", oneOf: TransformerBlock.Activation.allCases.map(\.rawValue)))!
            options.dropout = Float(try r.double("dropout", default: 0, where: .in(0..<1)))
            return TransformerEncoder(inputWidth: c.inputWidth, width: width, heads: heads, blocks: blocks,
                                      ffnWidth: max(1, Int((Double(width) * factor).rounded())), clsToken: cls,
                                      options: options, name: c.name, rng: c.rng)
        }
        try encoders.register("identity", summary: "no encoder: elements are pooled as given") { _, c in
            ElementMLP(inputWidth: c.inputWidth, widths: [], activation: .relu, activateLast: false, name: c.name, rng: c.rng)
        }
    }

    static func registerHeads() throws {
        try heads.register("linear", summary: "ŷ = wᵀv + b") { _, c in LinearHead(inputWidth: c.inputWidth, name: c.name, rng: c.rng) }
        try heads.register("mlp", summary: "one hidden ReLU layer",
                           parameters: [ParameterSpec("hidden", "integer", default: "32", allowed: "≥ 1", "hidden width")]) { r, c in
            MLPHead(inputWidth: c.inputWidth, hiddenWidth: try r.int("hidden", default: 32, where: .atLeast(1)), name: c.name, rng: c.rng)
        }
    }

    static func registerLosses() throws {
        let common = [
            ParameterSpec("lambda_pcc", "number", default: "1", allowed: "≥ 0", "weight λ_PCC of the correlation term"),
            ParameterSpec("lambda_mse", "number", default: "1", allowed: "≥ 0", "weight of the MSE term"),
        ]
        for term in RegressionLoss.CorrelationTerm.allCases {
            let (name, summary): (String, String)
            switch term {
            case .pcc: (name, summary) = ("pcc", "MSE + λ·(1 − ρ), the plain PCC loss")
            case .dnpl: (name, summary) = ("dnpl", "MSE + λ·stopgrad(σ_ŷ)·(1 − ρ), the dispersion-normalised PCC loss")
            case .none: (name, summary) = ("mse", "MSE only")
            }
            try losses.register(name, summary: summary, parameters: term == .none ? [common[1]] : common) { r in
                let lp = term == .none ? 0 : try r.double("lambda_pcc", default: 1, where: .atLeast(0))
                let lm = try r.double("lambda_mse", default: 1, where: .atLeast(0))
                return RegressionLoss(correlation: term, lambdaPCC: Float(lp), lambdaMSE: Float(lm))
            }
        }
    }

    /// `set_size`: a whole number, or `[min, max]` for sizes drawn uniformly.
    static func setSizeRange(_ r: ConfigReader) throws -> ClosedRange<Int> {
        switch r.value("set_size") {
        case nil, .null?: return 16...16
        case .number(let v)? where v == v.rounded() && v >= 1: return Int(v)...Int(v)
        case .array(let a)? where a.count == 2:
            if let lo = a[0].intValue, let hi = a[1].intValue, lo >= 1, hi >= lo { return lo...hi }
            fallthrough
        default:
            throw r.error(at: "set_size", "must be a whole number ≥ 1 or [min, max] with 1 ≤ min ≤ max")
        }
    }

    static func registerDataSources() throws {
        try dataSources.register("homogeneous", summary: "synthetic sets with controlled in-sample homogeneity η",
                                 parameters: [
                                     ParameterSpec("samples", "integer", default: "8000", allowed: "≥ 10", "number of sets"),
                                     ParameterSpec("set_size", "integer or [min, max]", default: "16", allowed: "≥ 1", "elements per set"),
                                     ParameterSpec("dimension", "integer", default: "8", allowed: "≥ 1", "element dimension"),
                                     ParameterSpec("eta", "number", default: "0.3", allowed: "≥ 0", "scale of in-sample deviations (homogeneity)"),
                                     ParameterSpec("centre_weight", "number", default: "1", "weight of the set-centre signal"),
                                     ParameterSpec("structure_weight", "number", default: "1", "weight of the selected-element signal"),
                                     ParameterSpec("noise", "number", default: "0.1", allowed: "≥ 0", "target noise σ"),
                                     ParameterSpec("seed", "integer", default: "7", allowed: "≥ 0", "generator seed"),
                                     ParameterSpec("readout_mix", "number", default: "0.5", allowed: "[0, 1]", "0: the target reads the selected element along the selection direction; 1: along an independent one"),
                                 ]) { r, _ in
            var g = HomogeneousSets()
            g.samples = try r.int("samples", default: 8000, where: .atLeast(10))
            let sizes = try setSizeRange(r)
            g.minSize = sizes.lowerBound; g.maxSize = sizes.upperBound
            g.dimension = try r.int("dimension", default: 8, where: .atLeast(1))
            g.eta = Float(try r.double("eta", default: 0.3, where: .atLeast(0)))
            g.centreWeight = Float(try r.double("centre_weight", default: 1))
            g.structureWeight = Float(try r.double("structure_weight", default: 1))
            g.noise = Float(try r.double("noise", default: 0.1, where: .atLeast(0)))
            g.seed = UInt64(try r.int("seed", default: 7, where: .atLeast(0)))
            g.readoutMix = Float(try r.double("readout_mix", default: 0.5, where: .between(0, 1)))
            return g.generate()
        }
    }
}

extension Zoo {
    static func registerFileSources() throws {
        try dataSources.register("set_csv", summary: "sets from a CSV, one element per row, grouped by a set-id column",
                                 parameters: [
                                     ParameterSpec("path", "string", default: "(required)", "CSV file, relative to the recipe"),
                                     ParameterSpec("set_column", "string", default: "\"set\"", "column holding the set id"),
                                     ParameterSpec("target_column", "string", default: "\"target\"", "column holding the set's target"),
                                     ParameterSpec("features", "array of strings", default: "[] (all numeric)", "feature columns"),
                                 ]) { r, c in
            var s = SetCSVSource(path: c.resolve(try r.string("path")))
            s.setColumn = try r.string("set_column", default: "set")
            s.targetColumn = try r.string("target_column", default: "target")
            s.features = try r.strings("features", default: [])
            return try s.load()
        }
        try dataSources.register("tabular_csv", summary: "a table; each row is a set of feature tokens (FT-Transformer style)",
                                 parameters: [
                                     ParameterSpec("path", "string", default: "(required)", "CSV file, relative to the recipe"),
                                     ParameterSpec("target", "string", default: "(required)", "target column"),
                                     ParameterSpec("features", "array of strings", default: "[] (all but target and exclude)", "feature columns"),
                                     ParameterSpec("exclude", "array of strings", default: "[]", "columns to ignore, e.g. a date column"),
                                     ParameterSpec("missing", "string", default: "\"error\"", allowed: "error | drop", "rows with an empty numeric field: refuse the file, or drop the rows"),
                                     ParameterSpec("date_column", "string or null", default: "null", "a date/time column turned into time-of-day and weekday (sin, cos) features"),
                                     ParameterSpec("date_format", "string", default: "\"yyyy-MM-dd HH:mm:ss\"", "its format (DateFormatter notation, UTC)"),
                                 ]) { r, c in
            var s = TabularCSVSource(path: c.resolve(try r.string("path")), targetColumn: try r.string("target"))
            s.features = try r.strings("features", default: [])
            s.exclude = try r.strings("exclude", default: [])
            s.dropRowsWithMissingValues = try r.string("missing", default: "error", oneOf: ["error", "drop"]) == "drop"
            s.dateColumn = try r.optionalString("date_column")
            s.dateFormat = try r.string("date_format", default: "yyyy-MM-dd HH:mm:ss")
            return try s.load()
        }
    }
}
