import Foundation
import TensorEngine

/// A transformer block over the elements of each set, stackable.
///
/// - pre-norm (default): `y = x + Drop(MHSA(LN(x)))`, `y + Drop(FFN(LN(y)))`;
/// - post-norm: `y = LN(x + Drop(MHSA(x)))`, `LN(y + Drop(FFN(y)))`.
///
/// The feed-forward is `W₂ act(W₁ h)` with ReLU or GELU, or ReGLU
/// (`W₂ (relu(a) ⊙ b)` with `[a | b] = W₁ h`, FT-Transformer's default).
/// Attention is masked so padded elements are never attended to; dropout (on
/// the attention and feed-forward outputs) is active only in training.
public struct TransformerBlock {
    public enum Activation: String, CaseIterable { case relu, gelu, reglu }

    public struct Options {
        public var postNorm = false
        public var activation = Activation.gelu
        public var dropout: Float = 0
        public init() {}
    }

    public let heads: Int
    public let options: Options
    let norm1: LayerNorm, norm2: LayerNorm
    let qkv: Linear        // [D, 3D]
    let out: Linear        // [D, D]
    let ff1: Linear, ff2: Linear  // [D, F] (or [D, 2F] for ReGLU), [F, D]
    let rng: RandomGenerator

    public init(width: Int, heads: Int, ffnWidth: Int, options: Options = Options(), name: String, rng: RandomGenerator) {
        precondition(width % heads == 0, "TransformerBlock: width \(width) not divisible by heads \(heads)")
        self.heads = heads
        self.options = options
        self.rng = rng
        norm1 = LayerNorm(name + ".norm1", width: width)
        norm2 = LayerNorm(name + ".norm2", width: width)
        qkv = Linear(name + ".qkv", inputs: width, outputs: 3 * width, rng: rng)
        out = Linear(name + ".out", inputs: width, outputs: width, rng: rng)
        ff1 = Linear(name + ".ff1", inputs: width, outputs: options.activation == .reglu ? 2 * ffnWidth : ffnWidth, rng: rng)
        ff2 = Linear(name + ".ff2", inputs: ffnWidth, outputs: width, rng: rng)
    }

    public var parameters: [Parameter] {
        norm1.parameters + qkv.parameters + out.parameters + norm2.parameters + ff1.parameters + ff2.parameters
    }

    func feedForward(_ h: Tensor) -> Tensor {
        let a = ff1(h)
        switch options.activation {
        case .relu: return ff2(a.relu())
        case .gelu: return ff2(a.gelu())
        case .reglu:
            let f = a.shape[a.rank - 1] / 2
            return ff2(a.slice(axis: -1, 0..<f).relu() * a.slice(axis: -1, f..<(2 * f)))
        }
    }

    func drop(_ t: Tensor, _ training: Bool) -> Tensor {
        training && options.dropout > 0 ? t.dropout(options.dropout, rng: rng) : t
    }

    /// `x [B, N, D]`, `mask [B, N]` → `[B, N, D]`.
    public func callAsFunction(_ x: Tensor, mask: Tensor, training: Bool = false) -> Tensor {
        func attention(_ h: Tensor) -> Tensor { out(qkv(h).multiHeadSelfAttention(heads: heads, mask: mask)) }
        if options.postNorm {
            let y = norm1(x + drop(attention(x), training))
            return norm2(y + drop(feedForward(y), training))
        }
        let y = x + drop(attention(norm1(x)), training)
        return y + drop(feedForward(norm2(y)), training)
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
    /// Post-norm blocks end normalised, so no final LayerNorm is applied.
    let postNorm: Bool
    public let outputWidth: Int

    public init(inputWidth: Int, width: Int, heads: Int, blocks: Int, ffnWidth: Int, clsToken: Bool = false,
                options: TransformerBlock.Options = .init(), name: String, rng: RandomGenerator) {
        tokenizer = Linear(name + ".tokenizer", inputs: inputWidth, outputs: width, rng: rng)
        cls = clsToken ? Parameter(name: name + ".cls", value: .normal([width], std: 0.1, rng: rng)) : nil
        self.blocks = (0..<blocks).map { TransformerBlock(width: width, heads: heads, ffnWidth: ffnWidth, options: options, name: "\(name).block\($0 + 1)", rng: rng) }
        finalNorm = LayerNorm(name + ".norm", width: width)
        postNorm = options.postNorm
        outputWidth = width
    }

    public var parameters: [Parameter] {
        tokenizer.parameters + (cls.map { [$0] } ?? []) + blocks.flatMap(\.parameters) + (postNorm ? [] : finalNorm.parameters)
    }

    public func callAsFunction(_ elements: Tensor, mask: Tensor, training: Bool) -> Tensor {
        var h = tokenizer(elements)                                   // [B, N, D]
        if let cls {
            let b = h.shape[0], d = h.shape[2]
            h = Tensor.concat([cls.value.reshaped([1, 1, d]).expanded(to: [b, 1, d]), h], axis: 1)  // [B, 1+N, D]
        }
        let m = outputMask(mask)
        for block in blocks { h = block(h, mask: m, training: training) }
        return postNorm ? h : finalNorm(h)
    }

    /// With a [CLS] token the output has one more, always real, element in front.
    public func outputMask(_ mask: Tensor) -> Tensor {
        guard cls != nil else { return mask }
        return Tensor.concat([Tensor.ones([mask.shape[0], 1]), mask], axis: 1)
    }
}
