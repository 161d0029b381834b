import TensorEngine

/// Batch statistics of predictions against targets, as differentiable tensors.
public enum Correlation {
    /// Added to variances before the square root, so a constant prediction gives a
    /// finite σ (and ρ = 0) instead of a division by zero. 1e-8 on the variance
    /// is far below any spread a regression target has after standardisation.
    public static let varianceEpsilon: Float = 1e-8

    /// Population standard deviation over the batch: `sqrt((1/S) Σ (x − x̄)² + ε)`.
    public static func sigma(_ x: Tensor) -> Tensor {
        let c = x - x.mean()
        return ((c * c).mean() + varianceEpsilon).sqrt()
    }

    /// Pearson correlation over the batch, `cov(ŷ, y) / (σ_ŷ σ_y)`, both `[S]`.
    public static func pearson(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        precondition(prediction.shape == target.shape, "pearson: prediction \(prediction.shape) vs target \(target.shape)")
        let pc = prediction - prediction.mean()
        let tc = target - target.mean()
        let cov = (pc * tc).mean()
        let sp = ((pc * pc).mean() + varianceEpsilon).sqrt()
        let st = ((tc * tc).mean() + varianceEpsilon).sqrt()
        return cov / (sp * st)
    }
}
