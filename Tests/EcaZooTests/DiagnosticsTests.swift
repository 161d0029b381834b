import Foundation
import XCTest
@testable import EcaZoo
import TensorEngine

/// The measurements behind the paper's story: the plateau detector, the
/// normalised in-sample dispersion σ̃ and the per-epoch mechanism diagnostics.
final class DiagnosticsTests: XCTestCase {
    // MARK: - Plateau

    func testPlateauFiresWhenPCCStallsWhileMSEKeepsFalling() {
        let pcc = [0.30, 0.50, 0.60, 0.620, 0.621, 0.622, 0.622, 0.621, 0.622]
        let mse = [1.00, 0.80, 0.70, 0.600, 0.520, 0.450, 0.400, 0.360, 0.330]
        XCTAssertEqual(PlateauDetector().plateauEpoch(pcc: pcc, mse: mse), 4)
        XCTAssertEqual(PlateauDetector(window: 2, tolerance: 0.005).plateauEpoch(pcc: pcc, mse: mse), 4)
        XCTAssertEqual(PlateauDetector(window: 3, tolerance: 0.05).plateauEpoch(pcc: pcc, mse: mse), 3)
    }

    func testNoPlateauOnSteadilyRisingPCC() {
        let epochs = 0..<12
        let mse = epochs.map { 1 / (1 + Double($0)) }
        XCTAssertNil(PlateauDetector().plateauEpoch(pcc: epochs.map { 0.1 + 0.04 * Double($0) }, mse: mse))
        // Slow, but more than the tolerance per window.
        XCTAssertNil(PlateauDetector().plateauEpoch(pcc: epochs.map { 0.5 + 0.002 * Double($0) }, mse: mse))
        // A dip is not a plateau when the best PCC keeps rising.
        XCTAssertNil(PlateauDetector().plateauEpoch(pcc: [0.1, 0.2, 0.15, 0.3, 0.4, 0.35, 0.5, 0.6], mse: Array(mse.prefix(8))))
    }

    func testAStallFollowedByABreakthroughIsNotThePlateau() {
        // Flat for three epochs, then rising again (ECA's curves): the plateau, if any, is after the rise.
        let pcc = [0.50, 0.60, 0.61, 0.61, 0.61, 0.66, 0.70, 0.74, 0.741, 0.742, 0.741, 0.742]
        let mse = [1.00, 0.90, 0.85, 0.82, 0.80, 0.75, 0.70, 0.66, 0.640, 0.620, 0.610, 0.600]
        XCTAssertEqual(PlateauDetector().plateauEpoch(pcc: pcc, mse: mse), 8)
    }

    func testNoPlateauWhenMSEStopsFallingToo() {
        let pcc = [0.3, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6]
        let mse = [1.0, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7]
        XCTAssertNil(PlateauDetector().plateauEpoch(pcc: pcc, mse: mse), "converged, not the PCC plateau")
    }

    func testTooShortOrMismatchedCurvesNeverFire() {
        XCTAssertNil(PlateauDetector().plateauEpoch(pcc: [0.5, 0.5, 0.5], mse: [1, 0.9, 0.8]))
        XCTAssertNil(PlateauDetector().plateauEpoch(pcc: [0.5, 0.5, 0.5, 0.5, 0.5], mse: [1, 0.9, 0.8]))
        XCTAssertNil(PlateauDetector().plateauEpoch(pcc: [], mse: []))
    }

    // MARK: - Homogeneity

    func dataset(eta: Float, size: Int = 16, seed: UInt64 = 3) -> SetDataset {
        var g = HomogeneousSets()
        g.samples = 300
        g.minSize = size
        g.maxSize = size
        g.dimension = 8
        g.eta = eta
        g.seed = seed
        return g.generate()
    }

    func testNormalizedDispersionFallsWithEtaAndMatchesTheFormula() {
        var previous = Double.infinity
        for eta: Float in [1.0, 0.3, 0.1] {
            let sigma = Homogeneity.normalizedDispersion(dataset(eta: eta))
            let n = 16.0, e = Double(eta)
            let expected = e * ((n - 1) / n).squareRoot() / (1 + e * e).squareRoot()
            XCTAssertLessThan(sigma, previous, "σ̃ must fall with η")
            assertClose(sigma, expected, tolerance: Tolerance(absolute: 0, relative: 0.05), "σ̃ at η = \(eta)")
            previous = sigma
        }
        XCTAssertEqual(Homogeneity.normalizedDispersion(dataset(eta: 0)), 0, accuracy: 1e-6, "repeated points: σ̃ = 0")
    }

    func testNormalizedDispersionByHand() {
        // Two 1-d sets {0, 2} and {10, 12}: within 4, total about the mean 6 is 104.
        let data = SetDataset(featureWidth: 1, elements: [0, 2, 10, 12], offsets: [0, 2, 4], targets: [0, 1])
        XCTAssertEqual(Homogeneity.normalizedDispersion(data), (4.0 / 104).squareRoot(), accuracy: 1e-12)
    }

    // MARK: - Epoch diagnostics

    func model(_ aggregator: String, _ config: JSONValue = [:], encoder: String = "mlp", width: Int) throws -> SetRegressor {
        Zoo.registerBuiltins()
        let rng = RandomGenerator(seed: 5)
        let encoderConfig: JSONValue = encoder == "mlp" ? ["widths": [6]] : [:]
        let encoder = try Zoo.encoders.entry(encoder)!.factory(ZooFixtures.reader(encoderConfig, path: "model.encoder"),
                                                               BuildContext(inputWidth: width, rng: rng, name: "encoder"))
        let agg = try ZooFixtures.aggregator(aggregator, config, inputWidth: encoder.outputWidth, seed: 6).aggregator
        return SetRegressor(encoder: encoder, aggregator: agg, head: LinearHead(inputWidth: agg.outputWidth, name: "head", rng: rng))
    }

    func testMechanismDiagnosticsAgreeWithTheAggregatorKind() throws {
        var g = HomogeneousSets()
        g.samples = 48
        g.minSize = 4
        g.maxSize = 8
        g.dimension = 4
        g.eta = 0.3
        let data = g.generate()
        let batch = data.batch(Array(0..<data.count))

        let mean = EpochDiagnostics.measure(model: try model("mean", width: 4), batch: batch)
        XCTAssertGreaterThan(try XCTUnwrap(mean["hull_radius"]), 0)
        XCTAssertEqual(try XCTUnwrap(mean["extrapolation"]), 0, accuracy: 1e-5, "mean pooling is the centre")
        XCTAssertNil(mean["attention_entropy"], "mean pooling has no attention")
        XCTAssertNotNil(mean["grad_ratio_pooled"])

        // Mean pooling of the raw features: nothing before the head is trainable,
        // yet ∂L/∂v is defined and must still be measured.
        let raw = EpochDiagnostics.measure(model: try model("mean", encoder: "identity", width: 4), batch: batch)
        for key in ["grad_rms_mse_pooled", "grad_rms_pcc_pooled", "grad_ratio_pooled"] {
            XCTAssertGreaterThan(try XCTUnwrap(raw[key], "identity encoder + mean: \(key) missing"), 0, key)
        }
        XCTAssertEqual(try XCTUnwrap(raw["extrapolation"]), 0, accuracy: 1e-5)

        let softmax = EpochDiagnostics.measure(model: try model("softmax", width: 4), batch: batch)
        XCTAssertLessThanOrEqual(try XCTUnwrap(softmax["extrapolation"]), 1 + 1e-5, "convex pooling stays inside the hull's ball")
        let entropy = try XCTUnwrap(softmax["attention_entropy"])
        XCTAssertGreaterThan(entropy, 0)
        XCTAssertLessThanOrEqual(entropy, Foundation.log(8.0) + 1e-6, "at most uniform over 8 elements")
        XCTAssertNotNil(softmax["grad_ratio_logits"])

        let eca = EpochDiagnostics.measure(model: try model("eca", width: 4), batch: batch)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(eca["gamma"]), 1)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(eca["tau"]), 0.1)
        XCTAssertEqual(eca["hull_radius"], mean["hull_radius"], "the hull radius depends on the embeddings only")
        for (key, value) in mean.merging(softmax, uniquingKeysWith: { a, _ in a }).merging(eca, uniquingKeysWith: { a, _ in a }) {
            XCTAssertTrue(value.isFinite, "\(key) = \(value)")
        }
    }
}
