import TensorEngine

/// Everything the trainer needs, typed (decoded from a recipe's `train` and `optimizer`).
public struct TrainingConfig {
    public var epochs = 30
    public var batchSize = 64
    public var seed: UInt64 = 0
    public var threads = 1
    /// Metric for best-epoch selection: "pcc" (higher is better) or "mse"/"mae"/"rmse".
    public var selectBy = "pcc"
    /// Stop after this many epochs without a better validation metric (0 = never).
    public var patience = 0
    public var clipNorm: Float? = 5
    public var evalBatchSize = 1024
    public var optimizer = OptimizerConfig()
    public var diagnostics = DiagnosticsConfig()
    public init() {}
}

/// The optimiser and its learning-rate schedule.
public struct OptimizerConfig {
    public enum Kind: String, CaseIterable { case adam, adamw, sgd }
    public var kind = Kind.adam
    public var learningRate: Float = 1e-3
    public var weightDecay: Float = 0
    public var momentum: Float = 0.9
    public var beta1: Float = 0.9, beta2: Float = 0.999
    public var schedule = "constant"
    public var warmupSteps = 0
    public var minFactor: Float = 0
    public var stepEvery = 1000
    public var stepGamma: Float = 0.5
    public init() {}

    func make(_ parameters: [Parameter]) -> any Optimizer {
        switch kind {
        case .adam: return Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, weightDecay: weightDecay)
        case .adamw: return Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, weightDecay: weightDecay, decoupledWeightDecay: true)
        case .sgd: return SGD(parameters: parameters, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        }
    }

    func makeSchedule(totalSteps: Int) -> LearningRateSchedule {
        switch schedule {
        case "warmup": return .linearWarmup(warmupSteps: warmupSteps)
        case "cosine": return .cosine(warmupSteps: warmupSteps, totalSteps: totalSteps, minFactor: minFactor)
        case "step": return .step(every: stepEvery, gamma: stepGamma)
        default: return .constant
        }
    }
}

/// Which per-epoch diagnostics to compute (they cost a few extra passes on one batch).
public struct DiagnosticsConfig {
    public var enabled = true
    /// Plateau rule: PCC gained ≤ `plateauTolerance` over `plateauWindow` epochs while MSE fell.
    public var plateauWindow = 3
    public var plateauTolerance = 0.005
    /// Validation sets used for the diagnostic passes.
    public var sampleSize = 512
    public init() {}
}
