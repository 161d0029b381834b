import TensorEngine

/// Mean pooling: `v_s = (1/n_s) Σ_i h_si`. The convex baseline with no parameters.
public struct MeanAggregator: Aggregator {
    public let outputWidth: Int
    public var parameters: [Parameter] { [] }

    public init(inputWidth: Int) { outputWidth = inputWidth }

    public func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled {
        Pooled(output: SetMath.mean(sets, mask: mask))
    }
}

/// Max pooling over the elements, per coordinate; padded elements never win.
public struct MaxAggregator: Aggregator {
    public let outputWidth: Int
    public var parameters: [Parameter] { [] }

    public init(inputWidth: Int) { outputWidth = inputWidth }

    public func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled {
        // Padding is pushed far below any real value; an empty set pools to 0.
        let filled = sets.maskedFill(SetMath.featureMask(mask), with: -1e30)
        let hasAny = mask.detached().max(axis: 1, keepDims: true)  // [B, 1]
        return Pooled(output: filled.max(axis: 1) * hasAny)
    }
}
