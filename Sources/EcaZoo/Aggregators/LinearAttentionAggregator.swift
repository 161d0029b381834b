import TensorEngine

/// Linear attention pooling without softmax: a learned query `q`, keys `k_i = W_k h_i`,
/// weights `w_i = φ(q)·φ(k_i) / n_s` with the positive feature map `φ = elu + 1`.
///
/// Dividing by the set size rather than by Σ_j φ(q)·φ(k_j) means the weights do
/// not sum to 1, so the pooled vector can scale beyond the hull: the second
/// non-convex baseline (`normalize: "sum"` restores the convex form).
public struct LinearAttentionAggregator: Aggregator {
    public let query: Parameter   // [Dk]
    public let key: Linear        // [D, Dk]
    public let normalizeBySum: Bool
    public let outputWidth: Int
    public var parameters: [Parameter] { [query] + key.parameters }

    public init(inputWidth: Int, keyWidth: Int, normalizeBySum: Bool, name: String, rng: RandomGenerator) {
        query = Parameter(name: name + ".query", value: .normal([keyWidth], std: 0.1, rng: rng))
        key = Linear(name + ".key", inputs: inputWidth, outputs: keyWidth, rng: rng)
        self.normalizeBySum = normalizeBySum
        outputWidth = inputWidth
    }

    public func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled {
        let phiK = key(sets).elu() + 1                                // [B, N, Dk]
        let phiQ = query.value.elu() + 1                              // [Dk]
        let m = SetMath.featureMask(mask)
        let raw = phiK.matmul(phiQ.reshaped([-1, 1])) * m             // [B, N, 1]
        let denom = normalizeBySum ? raw.sum(axis: 1, keepDims: true) + 1e-6 : SetMath.counts(mask).unsqueezed(axis: 2)
        let w = raw / denom
        return Pooled(output: SetMath.weightedSum(w, sets), logits: raw, weights: w)
    }
}
