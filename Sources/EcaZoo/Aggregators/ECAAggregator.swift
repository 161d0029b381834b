import Foundation
import TensorEngine

/// Extrapolative Correlation Attention (Yan et al., ICLR 2026): DATS + SRA.
///
/// Per sample, with `μ_s` the masked mean of the elements:
/// - **DATS** `D_s = sqrt((1/n_s) Σ_i ‖h_si − μ_s‖²)`, `τ_s = T_min + β·D_s`,
///   `α_si = softmax_i(z_si / τ_s)`; with `dats: false`, `τ_s = 1`.
/// - **SRA** `v_s = μ_s + γ_s Σ_i α_si (h_si − μ_s)`, `γ_s = 1 + softplus(MLP(μ_s))`,
///   optionally capped at `γ_max`; with `sra: false`, `v_s = Σ_i α_si h_si`.
/// - The regulariser `λ_γ · mean_s (γ_s − 1)²` is returned as an auxiliary loss.
///
/// Ablations are switches on this one type, never copies.
public struct ECAAggregator: Aggregator {
    public struct Config {
        public var dats = true
        public var sra = true
        public var tMin: Float = 0.1
        public var beta: Float = 1
        public var learnableBeta = false
        public var gammaMax: Float? = nil
        public var lambdaGamma: Float = 0.01
        public var gammaHidden = 16
        public init() {}
    }

    public let config: Config
    public let scorer: Scorer
    let betaRaw: Parameter?        // [1], β = softplus(betaRaw) when learnable
    let gammaHidden: Linear?       // [D, G]
    let gammaOut: Linear?          // [G, 1]
    public let outputWidth: Int

    public var parameters: [Parameter] {
        scorer.parameters + (betaRaw.map { [$0] } ?? []) + (gammaHidden?.parameters ?? []) + (gammaOut?.parameters ?? [])
    }

    public init(config: Config, scorer: Scorer, inputWidth: Int, name: String, rng: RandomGenerator) {
        self.config = config
        self.scorer = scorer
        outputWidth = inputWidth
        if config.dats && config.learnableBeta {
            // Inverse softplus, so training starts at the configured β. Softplus never
            // reaches 0, so β = 0 starts at 1e-6: its inverse would be −∞, a raw value
            // that gets no gradient and turns into NaN under weight decay.
            let b = Swift.max(Double(config.beta), 1e-6)
            betaRaw = Parameter(name: name + ".beta", value: Tensor([Float(b > 20 ? b : Foundation.log(Foundation.expm1(b)))], shape: [1]))
        } else {
            betaRaw = nil
        }
        if config.sra {
            gammaHidden = Linear(name + ".gamma.fc1", inputs: inputWidth, outputs: config.gammaHidden, rng: rng)
            let out = Linear(name + ".gamma.fc2", inputs: config.gammaHidden, outputs: 1, rng: rng)
            // Start near γ = 1 + softplus(−2) ≈ 1.13: close to plain attention, free to grow.
            out.bias!.assign([-2])
            gammaOut = out
        } else {
            gammaHidden = nil
            gammaOut = nil
        }
    }

    public func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled {
        let m = SetMath.featureMask(mask)                              // [B, N, 1]
        let mu = SetMath.mean(sets, mask: mask)                        // [B, D]
        let residual = (sets - mu.unsqueezed(axis: 1)) * m             // [B, N, D], padding zeroed
        let z = scorer(sets)                                           // [B, N, H]
        var perSample: [(name: String, value: Tensor)] = []

        let alpha: Tensor
        if config.dats {
            let dispersion = ((residual * residual).sum(axes: [1, 2], keepDims: false)
                / SetMath.counts(mask).reshaped([-1]) + 1e-12).sqrt()  // [B]
            let beta = betaRaw.map { $0.value.softplus() } ?? Tensor(scalar: config.beta)
            let tau = dispersion * beta + config.tMin                  // [B]
            alpha = (z / tau.reshaped([-1, 1, 1])).maskedSoftmax(m, axis: 1)
            perSample.append(("tau", tau))
        } else {
            alpha = z.maskedSoftmax(m, axis: 1)
        }

        guard config.sra, let fc1 = gammaHidden, let fc2 = gammaOut else {
            return Pooled(output: SetMath.weightedSum(alpha, sets), logits: z, weights: alpha, perSample: perSample)
        }
        var gamma = fc2(fc1(mu).relu()).softplus() + 1                 // [B, 1]
        if let cap = config.gammaMax { gamma = gamma.clamped(max: cap) }
        let pooled = mu + gamma * SetMath.weightedSum(alpha, residual)  // [B, D]
        let excess = gamma - 1
        let aux = (excess * excess).mean().scaled(by: config.lambdaGamma)
        perSample.append(("gamma", gamma.reshaped([-1])))
        return Pooled(output: pooled, auxiliaryLoss: aux, logits: z, weights: alpha, perSample: perSample)
    }
}
