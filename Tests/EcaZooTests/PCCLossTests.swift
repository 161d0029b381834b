import XCTest
@testable import EcaZoo
import TensorEngine

/// `L_PCC = 1 − ρ(ŷ, y)` over the batch: blind to the mean and scale of ŷ.
final class PCCLossTests: XCTestCase {
    let rng = RandomGenerator(seed: 42)

    func batch(_ count: Int = 24) -> (Tensor, Tensor) {
        let y = (0..<count).map { _ in rng.normal() }
        let p = y.map { 0.5 * $0 + 0.7 * rng.normal() }
        return (Tensor(p, shape: [count]), Tensor(y, shape: [count]))
    }

    func affine(_ t: Tensor, _ a: Float, _ b: Float) -> Tensor { Tensor(t.scalars.map { a * $0 + b }, shape: t.shape) }

    func testInvariantToPositiveAffineMapsOfThePrediction() {
        let (p, y) = batch()
        let base = RegressionLoss.pccLoss(p, y).item
        XCTAssertGreaterThan(base, 0.1, "a batch with imperfect correlation")
        for a: Float in [0.01, 0.5, 3, 100] {
            for b: Float in [-5, 0, 7] {
                let mapped = RegressionLoss.pccLoss(affine(p, a, b), y).item
                assertClose([mapped], [base], tolerance: Tolerance(absolute: 1e-5, relative: 1e-4), "1 − ρ(\(a)ŷ + \(b), y)")
                // MSE is not invariant: it is what moves the mean and the scale.
                if a != 1 || b != 0 {
                    XCTAssertNotEqual(RegressionLoss.mse(affine(p, a, b), y).item, RegressionLoss.mse(p, y).item)
                }
            }
        }
        // A negative scale flips the sign of ρ.
        let flipped = RegressionLoss.pccLoss(affine(p, -2, 1), y).item
        assertClose([flipped], [2 - base], tolerance: Tolerance(absolute: 1e-5, relative: 1e-4), "1 − ρ(−2ŷ + 1, y)")
    }

    func testPearsonAgreesWithTheDoubleReferenceAndMetrics() {
        for _ in 0..<3 {
            let (p, y) = batch()
            let rho = Correlation.pearson(p, y).item
            let pd = p.scalars.map(Double.init), yd = y.scalars.map(Double.init)
            assertClose(Double(rho), Stats.pearson(pd, yd), tolerance: Tolerance(absolute: 1e-6, relative: 1e-5), "ρ")
            assertClose(Double(rho), Metrics(predictions: p.scalars, targets: y.scalars).pcc,
                        tolerance: Tolerance(absolute: 1e-6, relative: 1e-5), "Metrics.pcc")
            assertClose(Double(Correlation.sigma(p).item), Stats.sigma(pd), tolerance: Tolerance(absolute: 1e-6, relative: 1e-5), "σ_ŷ")
        }
    }

    func testPerfectAndAntiCorrelation() {
        let (_, y) = batch()
        assertClose([RegressionLoss.pccLoss(affine(y, 3, 1), y).item], [0], tolerance: Tolerance(absolute: 1e-5, relative: 0), "ŷ = 3y + 1")
        assertClose([RegressionLoss.pccLoss(affine(y, -0.5, 2), y).item], [2], tolerance: Tolerance(absolute: 1e-5, relative: 0), "ŷ = −y/2 + 2")
    }

    /// A constant prediction (the start of training with a zero head) has ρ = 0:
    /// a finite loss of 1 and a finite gradient, never NaN.
    func testConstantPredictionIsFinite() {
        let (_, y) = batch()
        for loss in [RegressionLoss.pccLoss, RegressionLoss.dnpl] as [(Tensor, Tensor) -> Tensor] {
            let p = Tensor(repeating: 0.3, shape: y.shape).requiringGrad()
            let value = loss(p, y)
            XCTAssertTrue(value.item.isFinite, "loss \(value.item)")
            value.backward()
            XCTAssertTrue(p.grad!.scalars.allSatisfy(\.isFinite), "gradient \(p.grad!.scalars)")
        }
        assertClose([RegressionLoss.pccLoss(Tensor(repeating: 0.3, shape: y.shape), y).item], [1], "1 − 0")
    }

    /// The PCC gradient with respect to ŷ sums to zero and is orthogonal to ŷ:
    /// the loss cannot be changed by shifting or rescaling the predictions.
    func testGradientIsOrthogonalToShiftAndScale() {
        let (p0, y) = batch()
        let p = p0.detached().requiringGrad()
        RegressionLoss.pccLoss(p, y).backward()
        let g = p.grad!.scalars.map(Double.init), pv = p0.scalars.map(Double.init)
        let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
        assertClose(g.reduce(0, +) / norm, 0, tolerance: Tolerance(absolute: 1e-5, relative: 0), "Σ ∂/∂ŷ")
        let centred = pv.map { $0 - Stats.mean(pv) }
        let dot = zip(g, centred).reduce(0) { $0 + $1.0 * $1.1 }
        assertClose(dot / (norm * Stats.sigma(pv) * Double(pv.count).squareRoot()), 0, tolerance: Tolerance(absolute: 1e-5, relative: 0), "∇ · (ŷ − ŷ̄)")
    }
}
