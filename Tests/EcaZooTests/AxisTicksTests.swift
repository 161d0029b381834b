import XCTest
@testable import EcaZoo

final class AxisTicksTests: XCTestCase {
    /// Whether `value` is 1, 2 or 5 times a power of ten.
    private func isNice(_ value: Double) -> Bool {
        let exponent = log10(value).rounded(.down)
        let mantissa = (value / pow(10, exponent) * 1e6).rounded() / 1e6
        return [1, 2, 5, 10].contains(mantissa)
    }

    func testLinearTicksAreNiceEvenlySpacedAndCoverTheRange() {
        let ranges: [(Double, Double)] = [(0.13, 0.92), (1, 50), (-3.7, 12.2), (0.0001, 0.00042),
                                          (1e6, 3.3e7), (-1, -0.2), (999, 1001), (0, 1)]
        for (low, high) in ranges {
            let ticks = AxisTicks.linear(from: low, to: high)
            XCTAssertLessThanOrEqual(ticks.lower, low, "\(low)...\(high)")
            XCTAssertGreaterThanOrEqual(ticks.upper, high, "\(low)...\(high)")
            XCTAssert((3...12).contains(ticks.values.count), "\(low)...\(high): \(ticks.values)")
            let step = ticks.values[1] - ticks.values[0]
            XCTAssert(isNice(step), "step \(step) for \(low)...\(high)")
            for (a, b) in zip(ticks.values, ticks.values.dropFirst()) {
                XCTAssertEqual(b - a, step, accuracy: step * 1e-9)
            }
            XCTAssertEqual(ticks.labels.count, ticks.values.count)
            XCTAssertEqual(Set(ticks.labels).count, ticks.labels.count, "labels must differ: \(ticks.labels)")
        }
    }

    func testLinearTicksAreExactDecimals() {
        let ticks = AxisTicks.linear(from: 0.13, to: 0.92)
        XCTAssertEqual(ticks.values, [0, 0.2, 0.4, 0.6, 0.8, 1])
        XCTAssertEqual(ticks.labels, ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        XCTAssertTrue(AxisTicks.linear(from: 0, to: 0.5).values.contains(0.3))
    }

    func testEpochAxisHasIntegerLabels() {
        let ticks = AxisTicks.linear(from: 1, to: 50)
        XCTAssertEqual(ticks.labels, ["0", "10", "20", "30", "40", "50"])
    }

    func testConstantRangeIsWidenedInsteadOfDividingByZero() {
        for value in [0.0, 5, -2e-7] {
            let ticks = AxisTicks.linear(from: value, to: value)
            XCTAssertLessThan(ticks.lower, value)
            XCTAssertGreaterThan(ticks.upper, value)
            XCTAssert(ticks.values.allSatisfy(\.isFinite))
        }
    }

    func testLargeAndSmallValuesUseShortScientificLabels() {
        XCTAssertEqual(AxisTicks.linear(from: 0, to: 3e6).labels, ["0", "5e5", "1e6", "1.5e6", "2e6", "2.5e6", "3e6"])
        XCTAssertEqual(AxisTicks.linear(from: 0, to: 0.0004).labels.last, "4e-4")
        XCTAssertFalse(AxisTicks.linear(from: -0.5, to: 0.5).labels.contains("-0"))
    }

    func testLogTicksAreDecadesCoveringTheRange() {
        let ticks = AxisTicks.logarithmic(from: 3e-5, to: 0.8)
        XCTAssertEqual(ticks.values, [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1])
        XCTAssertEqual(ticks.labels, ["1e-5", "1e-4", "0.001", "0.01", "0.1", "1"])
    }

    func testNarrowLogRangeAddsTwoAndFiveTicks() {
        let ticks = AxisTicks.logarithmic(from: 0.03, to: 0.4)
        XCTAssertEqual(ticks.values, [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1])
        XCTAssertEqual(AxisTicks.logarithmic(from: 7, to: 7).values, [1, 2, 5, 10])
    }

    func testManyDecadesThinOutLogTicks() {
        let ticks = AxisTicks.logarithmic(from: 1e-12, to: 1e3)
        XCTAssertLessThanOrEqual(ticks.values.count, 9)
        XCTAssertLessThanOrEqual(ticks.lower, 1e-12)
        XCTAssertGreaterThanOrEqual(ticks.upper, 1e3)
    }
}
