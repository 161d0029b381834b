import EcaZoo
import EcaZooCLI
import Foundation
import TensorEngine
import XCTest

/// A custom aggregator registered from Swift with one call, then used through
/// the same command line (`CommandLineTool.main`) as the built-ins: the
/// in-process route a researcher takes from their own small executable.
final class InProcessRegistrationTests: XCTestCase {
    /// Forward code only: the root of the masked mean of squares (a quadratic
    /// mean), to show that no backward pass is written. Padding is zeroed before
    /// squaring, as the zoo's registry-wide tests (which see this registration
    /// too, in the same test process) demand of every aggregator.
    struct QuadraticMeanAggregator: Aggregator {
        let outputWidth: Int
        var parameters: [Parameter] { [] }
        func callAsFunction(_ sets: Tensor, mask: Tensor) -> Pooled {
            let real = sets.maskedFill(SetMath.featureMask(mask), with: 0)
            return Pooled(output: (SetMath.mean(real * real, mask: mask) + 1e-6).sqrt())
        }
    }

    static let registered: Bool = {
        Zoo.registerBuiltins()
        try? Zoo.aggregators.register("quadratic-mean", summary: "root of the mean square, per coordinate") { _, context in
            QuadraticMeanAggregator(outputWidth: context.inputWidth)
        }
        return Zoo.aggregators.entry("quadratic-mean") != nil
    }()

    func testARegisteredAggregatorTrainsThroughTheCommandLine() throws {
        XCTAssertTrue(Self.registered)
        let directory = try makeTemporaryDirectory(for: self)
        let recipe = try write(tinyRecipe(aggregator: "quadratic-mean"), "custom.json", in: directory)
        let output = directory.appendingPathComponent("runs").path
        let status = CommandLineTool.main(["run", recipe.path, "-q", "--set", "output.dir=\(output)", "--set", "output.name=custom"])
        XCTAssertEqual(status, 0)
        let summary = try jsonObject(at: directory.appendingPathComponent("runs/custom/summary.json"))
        XCTAssertEqual(summary["status"] as? String, "completed")
        XCTAssertEqual(CommandLineTool.main(["validate", recipe.path]), 0)
    }

    func testRegisteringABuiltInNameIsRefused() {
        Zoo.registerBuiltins()
        XCTAssertThrowsError(try Zoo.aggregators.register("eca", summary: "again") { _, c in MeanAggregator(inputWidth: c.inputWidth) }) { error in
            XCTAssertTrue("\(error)".contains(#"cannot register aggregator "eca""#), "\(error)")
        }
    }
}
