import TensorEngine

/// [CLS]-token readout: the pooled vector is the first element of each set.
///
/// Paired with an encoder that prepends a learned [CLS] token
/// (`transformer` with `cls_token: true`), this is FT-Transformer's usual
/// readout: the token gathers the set through self-attention, and no pooling
/// follows. Without such an encoder it reads an arbitrary element, so it is the
/// one aggregator that is not permutation invariant.
public struct CLSAggregator: Aggregator {
    public let outputWidth: Int
    public var parameters: [Parameter] { [] }

    public init(inputWidth: Int) { outputWidth = inputWidth }

    public func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled {
        let b = sets.shape[0], d = sets.shape[2]
        // Masked, so an empty set pools to 0 and its padding gets no gradient.
        let first = mask.detached().slice(axis: 1, 0..<1)            // [B, 1]
        return Pooled(output: sets.slice(axis: 1, 0..<1).reshaped([b, d]) * first)
    }
}
