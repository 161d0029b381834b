import XCTest
@testable import TensorEngine

/// Every `LearningRateSchedule` case at a few steps (0-based), base rate 0.1.
final class LearningRateScheduleTests: XCTestCase {
    let base: Float = 0.1

    func rates(_ schedule: LearningRateSchedule, _ steps: [Int]) -> [Float] {
        steps.map { schedule.rate(at: $0, base: base) }
    }

    func testConstant() {
        assertClose(rates(.constant, [0, 1, 100, 10_000]), [0.1, 0.1, 0.1, 0.1], "constant")
    }

    func testLinearWarmup() {
        // (step + 1) / warmup · base until the ramp is done, then base.
        assertClose(rates(.linearWarmup(warmupSteps: 4), [0, 1, 2, 3, 4, 50]), [0.025, 0.05, 0.075, 0.1, 0.1, 0.1], "warmup 4")
        assertClose(rates(.linearWarmup(warmupSteps: 0), [0, 5]), [0.1, 0.1], "warmup 0")
    }

    func testCosineWithWarmup() {
        // Warm-up 2, then cosine over the 10 steps from 2 to 12, floor 0.1·base.
        let schedule = LearningRateSchedule.cosine(warmupSteps: 2, totalSteps: 12, minFactor: 0.1)
        // Steps 0 and 1 ramp; then t = (step − 2) / 10 is 0 at 2, ½ at 7, 1 at 12, and stays 1 after.
        assertClose(rates(schedule, [0, 1, 2, 7, 12, 40]), [0.05, 0.1, 0.1, 0.055, 0.01, 0.01], "cosine with warm-up")
        // minFactor + (1 − minFactor)·½(1 + cos(π/4)) at t = 0.25
        assertClose(LearningRateSchedule.cosine(warmupSteps: 0, totalSteps: 8, minFactor: 0.1).rate(at: 2, base: base),
                    0.08681981, "cosine at a quarter")
    }

    func testCosineWithoutWarmupDecaysToZero() {
        let schedule = LearningRateSchedule.cosine(warmupSteps: 0, totalSteps: 4, minFactor: 0)
        // ½(1 + cos(π t)) at t = 0, ¼, ½, ¾, 1
        assertClose(rates(schedule, [0, 1, 2, 3, 4, 5]), [0.1, 0.08535534, 0.05, 0.01464466, 0, 0],
                    tolerance: Tolerance(absolute: 1e-7, relative: 1e-5), "cosine without warm-up")
        let rates = rates(schedule, Array(0...4))
        XCTAssertEqual(rates, rates.sorted(by: >), "cosine decay is monotone")
    }

    func testStepDecay() {
        // base · γ^⌊step / every⌋
        assertClose(rates(.step(every: 3, gamma: 0.5), [0, 2, 3, 5, 6, 9]), [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125], "step decay")
        assertClose(rates(.step(every: 1, gamma: 0.9), [0, 1, 2]), [0.1, 0.09, 0.081], "step every 1")
    }

    func testEquatable() {
        XCTAssertEqual(LearningRateSchedule.step(every: 3, gamma: 0.5), .step(every: 3, gamma: 0.5))
        XCTAssertNotEqual(LearningRateSchedule.linearWarmup(warmupSteps: 2), .linearWarmup(warmupSteps: 3))
        XCTAssertNotEqual(LearningRateSchedule.constant, .linearWarmup(warmupSteps: 0))
    }
}
