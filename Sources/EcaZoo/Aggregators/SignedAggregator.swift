import TensorEngine

/// Signed attention: `a_i = z_i / Σ_j |z_j|`, weights keep the scorer's sign.
///
/// The non-convex baseline: Σ|a| = 1 but negative weights let `v_s` leave the
/// convex hull, without ECA's residual structure. `ε` keeps all-zero logits finite.
public struct SignedAggregator: Aggregator {
    public let scorer: Scorer
    public let outputWidth: Int
    public var parameters: [Parameter] { scorer.parameters }

    public init(scorer: Scorer, inputWidth: Int) {
        self.scorer = scorer
        outputWidth = inputWidth
    }

    public func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled {
        let m = SetMath.featureMask(mask)
        let z = scorer(sets) * m                                      // [B, N, H], padding zeroed
        let norm = z.abs().sum(axis: 1, keepDims: true) + 1e-6        // [B, 1, H]
        let a = z / norm
        return Pooled(output: SetMath.weightedSum(a, sets), logits: z, weights: a)
    }
}
