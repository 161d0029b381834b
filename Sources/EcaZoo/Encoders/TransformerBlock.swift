import Foundation
import TensorEngine

/// A pre-norm transformer block over the elements of each set:
/// `x + MHSA(LN(x))`, then `x + FFN(LN(x))` with a GELU feed-forward.
/// Attention is masked so padded elements are never attended to.
public struct TransformerBlock {
    public let heads: Int
    let norm1: LayerNorm, norm2: LayerNorm
    let qkv: Linear        // [D, 3D]
    let out: Linear        // [D, D]
    let ff1: Linear, ff2: Linear  // [D, F], [F, D]

    public init(width: Int, heads: Int, ffnWidth: Int, name: String, rng: RandomGenerator) {
        precondition(width % heads == 0, "TransformerBlock: width \(width) not divisible by heads \(heads)")
        self.heads = heads
        norm1 = LayerNorm(name + ".norm1", width: width)
        norm2 = LayerNorm(name + ".norm2", width: width)
        qkv = Linear(name + ".qkv", inputs: width, outputs: 3 * width, rng: rng)
        out = Linear(name + ".out", inputs: width, outputs: width, rng: rng)
        ff1 = Linear(name + ".ff1", inputs: width, outputs: ffnWidth, rng: rng)
        ff2 = Linear(name + ".ff2", inputs: ffnWidth, outputs: width, rng: rng)
    }

    public var parameters: [Parameter] {
        norm1.parameters + qkv.parameters + out.parameters + norm2.parameters + ff1.parameters + ff2.parameters
    }

    /// `x [B, N, D]`, `mask [B, N]` → `[B, N, D]`.
    public func callAsFunction(_ x: Tensor, mask: Tensor) -> Tensor {
        let mixed = qkv(norm1(x)).multiHeadSelfAttention(heads: heads, mask: mask)     // [B, N, D]
        let y = x + out(mixed)
        return y + ff2(ff1(norm2(y)).gelu())
    }
}

/// FT-Transformer-style encoder: a linear tokenizer per element, then transformer blocks.
///
/// For tabular data each row is a set of feature tokens whose element vector is
/// `[x_j·e_j, e_j]` (value at the feature's slot, plus a one-hot slot), so the
/// tokenizer's linear map is exactly FT-Transformer's `x_j·W_j + b_j`.
public struct TransformerEncoder: Encoder {
    let tokenizer: Linear
    let blocks: [TransformerBlock]
    let finalNorm: LayerNorm
    /// A learned [CLS] token prepended to every set, `[D]`, for the `cls` readout.
    let cls: Parameter?
    public let outputWidth: Int

    public init(inputWidth: Int, width: Int, heads: Int, blocks: Int, ffnWidth: Int, clsToken: Bool = false,
                name: String, rng: RandomGenerator) {
        tokenizer = Linear(name + ".tokenizer", inputs: inputWidth, outputs: width, rng: rng)
        cls = clsToken ? Parameter(name: name + ".cls", value: .normal([width], std: 0.1, rng: rng)) : nil
        self.blocks = (0..<blocks).map { TransformerBlock(width: width, heads: heads, ffnWidth: ffnWidth, name: "\(name).block\($0 + 1)", rng: rng) }
        finalNorm = LayerNorm(name + ".norm", width: width)
        outputWidth = width
    }

    public var parameters: [Parameter] {
        tokenizer.parameters + (cls.map { [$0] } ?? []) + blocks.flatMap(\.parameters) + finalNorm.parameters
    }

    public func callAsFunction(_ elements: Tensor, mask: Tensor, training: Bool) -> Tensor {
        var h = tokenizer(elements)                                   // [B, N, D]
        if let cls {
            let b = h.shape[0], d = h.shape[2]
            h = Tensor.concat([cls.value.reshaped([1, 1, d]).expanded(to: [b, 1, d]), h], axis: 1)  // [B, 1+N, D]
        }
        let m = outputMask(mask)
        for block in blocks { h = block(h, mask: m) }
        return finalNorm(h)
    }

    /// With a [CLS] token the output has one more, always real, element in front.
    public func outputMask(_ mask: Tensor) -> Tensor {
        guard cls != nil else { return mask }
        return Tensor.concat([Tensor.ones([mask.shape[0], 1]), mask], axis: 1)
    }
}
