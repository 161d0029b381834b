import TensorEngine

/// Masked set statistics shared by the aggregators.
public enum SetMath {
    /// `[B, N] → [B, N, 1]`, for broadcasting over the feature axis.
    public static func featureMask(_ mask: Tensor) -> Tensor { mask.unsqueezed(axis: 2) }

    /// The number of real elements per set, `[B, 1]`, at least 1 so empty sets give 0 rather than NaN.
    public static func counts(_ mask: Tensor) -> Tensor {
        mask.detached().sum(axis: 1, keepDims: true).clamped(min: 1)
    }

    /// Masked mean over the elements: `[B, N, D] → [B, D]`.
    public static func mean(_ sets: Tensor, mask: Tensor) -> Tensor {
        (sets * featureMask(mask)).sum(axis: 1) / counts(mask)
    }

    /// Pools with per-head weights: `weights [B, N, H]`, `values [B, N, D]` → heads averaged `[B, D]`.
    public static func weightedSum(_ weights: Tensor, _ values: Tensor) -> Tensor {
        let heads = weights.shape[2]
        if heads == 1 { return (weights * values).sum(axis: 1) }
        // [B, H, N] × [B, N, D] → [B, H, D], then the mean over heads.
        return weights.matmul(values, transposeA: true).mean(axis: 1)
    }
}
