import TensorEngine

/// The training objective `L = L_MSE + λ_PCC · L_corr + L_aux`.
///
/// `L_corr` is selected by name:
/// - `pcc`: `1 − ρ(ŷ, y)` over the batch;
/// - `dnpl`: `stopgrad(σ_ŷ) · (1 − ρ)`, which cancels the `1/σ_ŷ` factor of the
///   PCC gradient while leaving the stationary points unchanged (ECA's third part);
/// - `none`: MSE only.
public struct RegressionLoss {
    public enum CorrelationTerm: String, CaseIterable { case pcc, dnpl, none }

    public var correlation: CorrelationTerm
    public var lambdaPCC: Float
    public var lambdaMSE: Float

    public init(correlation: CorrelationTerm = .pcc, lambdaPCC: Float = 1, lambdaMSE: Float = 1) {
        self.correlation = correlation
        self.lambdaPCC = lambdaPCC
        self.lambdaMSE = lambdaMSE
    }

    /// The terms of one evaluation, each a scalar tensor.
    public struct Terms {
        public var mse: Tensor
        public var correlation: Tensor?
        public var auxiliary: Tensor?
        public var total: Tensor
    }

    /// Mean squared error over the batch.
    public static func mse(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        let d = prediction - target
        return (d * d).mean()
    }

    /// `1 − ρ`.
    public static func pccLoss(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        1 - Correlation.pearson(prediction, target)
    }

    /// `stopgrad(σ_ŷ) · (1 − ρ)`.
    public static func dnpl(_ prediction: Tensor, _ target: Tensor) -> Tensor {
        pccLoss(prediction, target) * Correlation.sigma(prediction).detached()
    }

    public func callAsFunction(_ prediction: Tensor, _ target: Tensor, auxiliary: Tensor? = nil) -> Terms {
        let m = RegressionLoss.mse(prediction, target)
        var total = lambdaMSE == 1 ? m : m.scaled(by: lambdaMSE)
        var corr: Tensor? = nil
        switch correlation {
        case .pcc: corr = RegressionLoss.pccLoss(prediction, target)
        case .dnpl: corr = RegressionLoss.dnpl(prediction, target)
        case .none: break
        }
        if let c = corr, lambdaPCC != 0 { total = total + c.scaled(by: lambdaPCC) }
        if let a = auxiliary { total = total + a }
        return Terms(mse: m, correlation: corr, auxiliary: auxiliary, total: total)
    }
}
