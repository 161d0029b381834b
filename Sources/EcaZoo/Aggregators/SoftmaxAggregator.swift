import TensorEngine

/// Attention pooling: `α = softmax_i(z_i / T)`, `v_s = Σ_i α_si h_si` (convex).
/// With several heads the per-head pooled vectors are averaged, which stays convex.
public struct SoftmaxAggregator: Aggregator {
    public let scorer: Scorer
    /// Fixed temperature `T` (1 = plain softmax).
    public let temperature: Float
    public let outputWidth: Int
    public var parameters: [Parameter] { scorer.parameters }

    public init(scorer: Scorer, temperature: Float, inputWidth: Int) {
        self.scorer = scorer
        self.temperature = temperature
        outputWidth = inputWidth
    }

    public func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled {
        let z = scorer(sets)                                          // [B, N, H]
        let scaled = temperature == 1 ? z : z.scaled(by: 1 / temperature)
        let alpha = scaled.maskedSoftmax(SetMath.featureMask(mask), axis: 1)
        return Pooled(output: SetMath.weightedSum(alpha, sets), logits: z, weights: alpha)
    }
}
