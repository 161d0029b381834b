import XCTest
@testable import EcaZoo
import TensorEngine

/// Proposition 2.1: `MSE = (μ_ŷ − μ_y)² + (σ_ŷ − σ_y)² + 2 σ_ŷ σ_y (1 − ρ)`
/// with population standard deviations.
final class MSEDecompositionTests: XCTestCase {
    func batch(seed: UInt64, count: Int = 32, scale: Float = 1.7, offset: Float = 0.4) -> (p: [Float], y: [Float]) {
        let rng = RandomGenerator(seed: seed)
        let y = (0..<count).map { _ in 2 * rng.normal() + 1 }
        let p = y.map { scale * (0.5 * $0 + rng.normal()) + offset }
        return (p, y)
    }

    func testTermsAddUpToTheMSE() {
        for seed: UInt64 in 1...5 {
            let (p, y) = batch(seed: seed, scale: Float(seed) * 0.6, offset: Float(seed) - 3)
            let d = MSEDecomposition(predictions: p, targets: y)
            let metrics = Metrics(predictions: p, targets: y)
            let mse = zip(p, y).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) } / Double(p.count)
            assertClose(d.total, mse, tolerance: Tolerance(absolute: 1e-9, relative: 1e-9), "seed \(seed): Σ terms = MSE")
            assertClose(metrics.mse, mse, tolerance: .double, "seed \(seed): Metrics.mse")
            assertClose(Double(RegressionLoss.mse(Tensor(p, shape: [p.count]), Tensor(y, shape: [y.count])).item), mse,
                        tolerance: Tolerance(absolute: 1e-5, relative: 1e-5), "seed \(seed): the training MSE")

            // Each term from its definition.
            let pd = p.map(Double.init), yd = y.map(Double.init)
            let sp = Stats.sigma(pd), sy = Stats.sigma(yd), rho = Stats.pearson(pd, yd)
            assertClose(d.meanTerm, (Stats.mean(pd) - Stats.mean(yd)) * (Stats.mean(pd) - Stats.mean(yd)), tolerance: Tolerance(absolute: 1e-12, relative: 1e-9), "mean term")
            assertClose(d.scaleTerm, (sp - sy) * (sp - sy), tolerance: Tolerance(absolute: 1e-12, relative: 1e-9), "scale term")
            assertClose(d.correlationTerm, 2 * sp * sy * (1 - rho), tolerance: Tolerance(absolute: 1e-12, relative: 1e-9), "correlation term")
            // Metrics reports the same σ_ŷ and ρ the decomposition uses.
            assertClose(metrics.sigmaPred, sp, tolerance: .double, "Metrics.sigmaPred")
            assertClose(metrics.pcc, 1 - d.correlationTerm / (2 * sp * sy), tolerance: Tolerance(absolute: 1e-12, relative: 1e-9), "Metrics.pcc")
        }
    }

    /// A shift only moves the mean term; a rescaling about the mean only the scale
    /// term; neither touches the correlation factor (1 − ρ).
    func testAffineChangesMoveOnlyMeanAndScale() {
        let (_, y) = batch(seed: 9)
        let shifted = MSEDecomposition(predictions: y.map { $0 + 1.5 }, targets: y)
        assertClose(shifted.meanTerm, 2.25, tolerance: Tolerance(absolute: 1e-6, relative: 1e-6), "shift: mean term")
        assertClose(shifted.scaleTerm, 0, tolerance: Tolerance(absolute: 1e-9, relative: 0), "shift: scale term")
        assertClose(shifted.correlationTerm, 0, tolerance: Tolerance(absolute: 1e-9, relative: 0), "shift: correlation term")

        let m = y.reduce(0, +) / Float(y.count)
        let scaled = MSEDecomposition(predictions: y.map { m + 3 * ($0 - m) }, targets: y)
        let sy = Stats.sigma(y.map(Double.init))
        assertClose(scaled.meanTerm, 0, tolerance: Tolerance(absolute: 1e-9, relative: 0), "scale: mean term")
        assertClose(scaled.scaleTerm, 4 * sy * sy, tolerance: Tolerance(absolute: 1e-5, relative: 1e-5), "scale: scale term")
        assertClose(scaled.correlationTerm, 0, tolerance: Tolerance(absolute: 1e-9, relative: 0), "scale: correlation term")

        let (p, _) = batch(seed: 9)
        let base = MSEDecomposition(predictions: p, targets: y)
        let moved = MSEDecomposition(predictions: p.map { 0.2 * $0 - 3 }, targets: y)
        let factor = { (d: MSEDecomposition, p: [Float]) in d.correlationTerm / (2 * Stats.sigma(p.map(Double.init)) * sy) }
        assertClose(factor(moved, p.map { 0.2 * $0 - 3 }), factor(base, p), tolerance: Tolerance(absolute: 1e-6, relative: 1e-6), "1 − ρ")
    }

    func testConstantPredictionHasNoCorrelationTerm() {
        let (_, y) = batch(seed: 2)
        let d = MSEDecomposition(predictions: [Float](repeating: 0.5, count: y.count), targets: y)
        XCTAssertEqual(d.correlationTerm, 0)
        XCTAssertEqual(d.scaleTerm, Stats.sigma(y.map(Double.init)) * Stats.sigma(y.map(Double.init)), accuracy: 1e-9)
        assertClose(d.total, Metrics(predictions: [Float](repeating: 0.5, count: y.count), targets: y).mse, tolerance: Tolerance(absolute: 1e-9, relative: 1e-9), "total")
    }
}
