import XCTest
@testable import EcaZoo
import TensorEngine

/// DNPL: `L̃ = stopgrad(σ_ŷ) · (1 − ρ)`. Its value is σ_ŷ(1 − ρ); its gradient is
/// σ_ŷ times the gradient of (1 − ρ), with no term from differentiating σ_ŷ, so the
/// 1/σ_ŷ factor of the PCC gradient cancels and the gradient no longer shrinks as
/// the predictions spread out.
final class DNPLGradientTests: XCTestCase {
    /// Predictions loosely correlated with the targets, at scale 2.5 and offset 0.7.
    func batch(seed: UInt64, count: Int = 16) -> (prediction: [Float], target: [Float]) {
        let rng = RandomGenerator(seed: seed)
        let y = (0..<count).map { _ in rng.normal() }
        let p = y.map { 2.5 * (0.6 * $0 + 0.8 * rng.normal()) + 0.7 }
        return (p, y)
    }

    func gradient(_ loss: (Tensor, Tensor) -> Tensor, _ p: [Float], _ y: [Float]) -> (value: Float, gradient: [Float]) {
        let leaf = Tensor(p, shape: [p.count]).requiringGrad()
        let value = loss(leaf, Tensor(y, shape: [y.count]))
        value.backward()
        return (value.item, leaf.grad!.scalars)
    }

    func testValueIsSigmaTimesOneMinusRho() {
        for seed: UInt64 in 1...4 {
            let (p, y) = batch(seed: seed)
            let pd = p.map(Double.init), yd = y.map(Double.init)
            let expected = Stats.sigma(pd) * (1 - Stats.pearson(pd, yd))
            let value = RegressionLoss.dnpl(Tensor(p, shape: [p.count]), Tensor(y, shape: [y.count])).item
            assertClose(Double(value), expected, tolerance: Tolerance(absolute: 1e-5, relative: 1e-5), "seed \(seed): DNPL value")
        }
    }

    func testGradientIsSigmaTimesThePCCGradient() {
        for seed: UInt64 in 1...4 {
            let (p, y) = batch(seed: seed)
            let sigma = Float(Stats.sigma(p.map(Double.init)))
            let dnpl = gradient(RegressionLoss.dnpl, p, y).gradient
            let pcc = gradient(RegressionLoss.pccLoss, p, y).gradient
            assertClose(dnpl, pcc.map { sigma * $0 }, tolerance: Tolerance(absolute: 1e-6, relative: 1e-4), "seed \(seed): ∇DNPL = σ ∇(1 − ρ)")
        }
    }

    /// Differentiating σ_ŷ too would add (1 − ρ) ∇σ_ŷ: the stop-gradient must
    /// keep that term out, so the DNPL gradient is not the full derivative.
    func testStopGradientKeepsTheSigmaTermOut() {
        let (p, y) = batch(seed: 7)
        let pd = p.map(Double.init), yd = y.map(Double.init)
        let rho = Stats.pearson(pd, yd), sigma = Stats.sigma(pd), mean = Stats.mean(pd)
        let dnpl = gradient(RegressionLoss.dnpl, p, y).gradient
        let pcc = gradient(RegressionLoss.pccLoss, p, y).gradient
        // ∇σ = (p − p̄) / (S σ), so the full derivative is σ ∇(1 − ρ) + (1 − ρ)(p − p̄)/(S σ).
        let sigmaTerm = pd.map { (1 - rho) * ($0 - mean) / (Double(p.count) * sigma) }
        let full = zip(pcc, sigmaTerm).map { Float(sigma) * $0 + Float($1) }
        XCTAssertGreaterThan(sigmaTerm.map(abs).max()!, 0.01, "the batch must make the σ term visible")
        var worst: Float = 0
        for i in dnpl.indices { worst = max(worst, abs(dnpl[i] - full[i])) }
        XCTAssertGreaterThan(worst, 0.01, "DNPL's gradient equals the full derivative of σ(1 − ρ): the stop-gradient is missing")
    }

    /// The point of DNPL: scaling the predictions leaves its gradient unchanged,
    /// while the PCC gradient shrinks like 1/σ_ŷ.
    func testGradientDoesNotShrinkAsPredictionsSpread() {
        let (p, y) = batch(seed: 3)
        let spread = p.map { 10 * $0 - 4 }
        let dnplNarrow = gradient(RegressionLoss.dnpl, p, y).gradient
        let dnplWide = gradient(RegressionLoss.dnpl, spread, y).gradient
        assertClose(dnplWide, dnplNarrow, tolerance: Tolerance(absolute: 1e-6, relative: 1e-3), "DNPL gradient under ŷ → 10ŷ − 4")
        let pccNarrow = gradient(RegressionLoss.pccLoss, p, y).gradient
        let pccWide = gradient(RegressionLoss.pccLoss, spread, y).gradient
        assertClose(pccWide, pccNarrow.map { $0 / 10 }, tolerance: Tolerance(absolute: 1e-7, relative: 1e-3), "PCC gradient under ŷ → 10ŷ − 4")
    }

    /// Through `RegressionLoss`: total = λ_MSE · MSE + λ_PCC · DNPL + auxiliary.
    func testRegressionLossCombinesTheTerms() {
        let (p, y) = batch(seed: 5)
        let pt = Tensor(p, shape: [p.count]), yt = Tensor(y, shape: [y.count])
        let aux = Tensor(scalar: 0.125)
        let terms = RegressionLoss(correlation: .dnpl, lambdaPCC: 0.5, lambdaMSE: 2)(pt, yt, auxiliary: aux)
        let mse = RegressionLoss.mse(pt, yt).item, dnpl = RegressionLoss.dnpl(pt, yt).item
        assertClose([terms.mse.item, terms.correlation!.item], [mse, dnpl], "terms")
        assertClose([terms.total.item], [2 * mse + 0.5 * dnpl + 0.125], "total")
        let none = RegressionLoss(correlation: .none)(pt, yt)
        XCTAssertNil(none.correlation)
        assertClose([none.total.item], [mse], "MSE only")
    }
}
