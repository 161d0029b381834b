import EcaZoo
import Foundation
import TensorEngine

/// Power-mean attention: `s_i = softplus(wᵀh_i + b)`, `α_i = s_i^p / Σ_j s_j^p`,
/// `v = Σ_i α_i h_i` (convex).
///
/// The exponent `p` moves the pooling between the plain mean (`p → 0`) and the
/// element with the largest score (`p → ∞`); with `learnable_p` it is learned,
/// kept positive as `p = exp(log p)`. Written exactly like a built-in: forward
/// code only, and mask-aware through the masked softmax, since
/// `s^p / Σ s^p = softmax(p · log s)`.
public struct PowerMeanAggregator: Aggregator {
    let score: Linear              // w: [D, 1], b: [1]
    /// `log p`, trainable `[1]` when the exponent is learned, else nil.
    let logExponent: Parameter?
    let exponent: Float
    public let outputWidth: Int

    public var parameters: [Parameter] { score.parameters + (logExponent.map { [$0] } ?? []) }

    public init(inputWidth: Int, exponent: Float, learnable: Bool, name: String, rng: RandomGenerator) {
        score = Linear(name + ".score", inputs: inputWidth, outputs: 1, rng: rng)
        self.exponent = exponent
        logExponent = learnable ? Parameter(name: name + ".log_p", value: Tensor([Foundation.log(exponent)], shape: [1])) : nil
        outputWidth = inputWidth
    }

    public func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled {
        let s = score(sets).softplus() + 1e-6                           // [B, N, 1], > 0
        let logS = s.log()                                              // [B, N, 1]
        let z = logExponent.map { logS * $0.value.exp() } ?? logS.scaled(by: exponent)
        let alpha = z.maskedSoftmax(SetMath.featureMask(mask), axis: 1)  // [B, N, 1]
        return Pooled(output: SetMath.weightedSum(alpha, sets), logits: z, weights: alpha)
    }
}

// MARK: - Plugin entry points

/// The EcaZoo version this plugin was compiled against, as a C string that
/// lives as long as the library (``EcaZooVersion/compiledVersion`` is inlined here).
let compiledVersion: UnsafeMutablePointer<CChar> = strdup(EcaZooVersion.compiledVersion)!

@_cdecl("eca_zoo_plugin_version")
public func ecaZooPluginVersion() -> UnsafePointer<CChar> { UnsafePointer(compiledVersion) }

/// Registers `powermean` into the host's aggregator registry; non-zero on failure,
/// with the reason in `Zoo.lastPluginError`.
@_cdecl("eca_zoo_plugin_register")
public func ecaZooPluginRegister() -> Int32 {
    do {
        try Zoo.aggregators.register(
            "powermean", summary: "power-mean attention α ∝ softplus(wᵀh)^p: mean at p → 0, max score at p → ∞ (convex)",
            parameters: [
                ParameterSpec("p", "number", default: "2", allowed: "> 0", "exponent (initial value when learned)"),
                ParameterSpec("learnable_p", "bool", default: "false", "learn p (kept positive as exp(log p))"),
            ]) { r, c in
            let p = try r.double("p", default: 2, where: .greaterThan(0))
            let learnable = try r.bool("learnable_p", default: false)
            return PowerMeanAggregator(inputWidth: c.inputWidth, exponent: Float(p), learnable: learnable, name: c.name, rng: c.rng)
        }
        return 0
    } catch {
        Zoo.lastPluginError = "\(error)"
        return 1
    }
}
