import Foundation
import TensorEngine

/// Pooling by multi-head attention (Set Transformer's PMA) with learned seed vectors.
///
/// Each seed is a query; keys are `W_k h_i`, split into heads; each (seed, head)
/// attends with scaled dot-product softmax over the elements and pools the
/// elements themselves. Pooled vectors are averaged over seeds and heads. We
/// leave out PMA's value projection and feed-forward block so that the result
/// stays in the element space and is a convex combination (single head, single
/// seed), which is the property the paper's comparison is about.
public struct PMAAggregator: Aggregator {
    public let seeds: Parameter   // [S, Dk]
    public let key: Linear        // [D, Dk]
    public let heads: Int
    public let outputWidth: Int
    public var parameters: [Parameter] { [seeds] + key.parameters }

    public init(inputWidth: Int, keyWidth: Int, heads: Int, seedCount: Int, name: String, rng: RandomGenerator) {
        precondition(keyWidth % heads == 0, "PMA: key width \(keyWidth) must be divisible by heads \(heads)")
        seeds = Parameter(name: name + ".seeds", value: .xavierUniform([seedCount, keyWidth], fanIn: keyWidth, fanOut: seedCount, rng: rng))
        key = Linear(name + ".key", inputs: inputWidth, outputs: keyWidth, rng: rng)
        self.heads = heads
        outputWidth = inputWidth
    }

    public func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled {
        let s = seeds.value.shape[0], dk = seeds.value.shape[1], dh = dk / heads
        let b = sets.shape[0], n = sets.shape[1]
        // Per head: logits[b, n, seed·H + h] = k[b, n, h, :] · q[seed, h, :] / √dh
        let k = key(sets).reshaped([b, n, heads, dh])                         // [B, N, H, dh]
        let q = seeds.value.reshaped([s, heads, dh]).permuted([1, 2, 0])      // [H, dh, S]
        let kh = k.permuted([2, 0, 1, 3]).reshaped([heads, b * n, dh])        // [H, B·N, dh]
        let z = kh.matmul(q).reshaped([heads, b, n, s]).permuted([1, 2, 0, 3]) // [B, N, H, S]
            .reshaped([b, n, heads * s]).scaled(by: 1 / Float(dh).squareRoot())
        let alpha = z.maskedSoftmax(SetMath.featureMask(mask), axis: 1)       // [B, N, H·S]
        return Pooled(output: SetMath.weightedSum(alpha, sets), logits: z, weights: alpha)
    }
}
