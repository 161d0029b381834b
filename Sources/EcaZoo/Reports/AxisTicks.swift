import Foundation

/// Tick marks for one plot axis: round values (1, 2 or 5 × 10^k) that cover
/// the data, with short labels.
///
/// ```swift
/// let ticks = AxisTicks.linear(from: 0.13, to: 0.92)
/// // ticks.values == [0, 0.2, 0.4, 0.6, 0.8, 1], ticks.labels == ["0", "0.2", ..., "1"]
/// ```
public struct AxisTicks: Equatable, Sendable {
    /// The start of the axis: the first tick, at or below the smallest value.
    public let lower: Double
    /// The end of the axis: the last tick, at or above the largest value.
    public let upper: Double
    /// Tick positions in data units, increasing.
    public let values: [Double]
    /// One label per tick.
    public let labels: [String]

    /// Ticks for a linear axis covering `minimum...maximum`, about `targetCount` intervals.
    ///
    /// A zero-width range (a constant series) is widened around its value so
    /// the axis still has a scale.
    ///
    /// - Precondition: Both bounds are finite.
    public static func linear(from minimum: Double, to maximum: Double, targetCount: Int = 5) -> AxisTicks {
        precondition(minimum.isFinite && maximum.isFinite,
                     "AxisTicks.linear: bounds must be finite, got \(minimum) and \(maximum)")
        var low = Swift.min(minimum, maximum), high = Swift.max(minimum, maximum)
        if high - low <= Swift.max(abs(low), abs(high)) * 1e-12 {
            let half = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low - half, high + half)
        }
        let step = NiceNumber(roughly: (high - low) / Double(Swift.max(targetCount, 1)))
        // The tolerance keeps a bound that is already a multiple of the step from
        // gaining an extra interval through rounding noise.
        let first = Int((low / step.value + 1e-9).rounded(.down))
        let last = Int((high / step.value - 1e-9).rounded(.up))
        let values = (first...Swift.max(first + 1, last)).map { step.multiple($0) }
        let scientific = useScientific(values)
        let labels = values.map { label($0, stepExponent: step.exponent, scientific: scientific) }
        return AxisTicks(lower: values.first!, upper: values.last!, values: values, labels: labels)
    }

    /// Ticks for a base-10 logarithmic axis covering `minimum...maximum`.
    ///
    /// The axis runs between whole decades. Over two decades or fewer, 2 and 5
    /// times each power are ticked too; over many decades, only every few.
    ///
    /// - Precondition: Both bounds are finite and positive.
    public static func logarithmic(from minimum: Double, to maximum: Double) -> AxisTicks {
        precondition(minimum.isFinite && maximum.isFinite && minimum > 0 && maximum > 0,
                     "AxisTicks.logarithmic: bounds must be finite and positive, got \(minimum) and \(maximum)")
        let low = Swift.min(minimum, maximum), high = Swift.max(minimum, maximum)
        let firstDecade = Int((log10(low) + 1e-9).rounded(.down))
        let lastDecade = Swift.max(firstDecade + 1, Int((log10(high) - 1e-9).rounded(.up)))
        let decades = lastDecade - firstDecade
        var ticks: [NiceNumber] = []
        if decades <= 2 {
            for decade in firstDecade..<lastDecade {
                for mantissa in [1, 2, 5] { ticks.append(NiceNumber(mantissa: mantissa, exponent: decade)) }
            }
            ticks.append(NiceNumber(mantissa: 1, exponent: lastDecade))
        } else {
            let stride = (decades + 5) / 6
            var decade = firstDecade
            while decade < lastDecade {
                ticks.append(NiceNumber(mantissa: 1, exponent: decade))
                decade += stride
            }
            ticks.append(NiceNumber(mantissa: 1, exponent: decade))
        }
        let values = ticks.map(\.value)
        let labels = ticks.map { tick -> String in
            // Plain digits read faster while they stay short; beyond that, 1e-5.
            if (-3...4).contains(tick.exponent) {
                return label(tick.value, stepExponent: tick.exponent, scientific: false)
            }
            return "\(tick.mantissa)e\(tick.exponent)"
        }
        return AxisTicks(lower: values.first!, upper: values.last!, values: values, labels: labels)
    }

    /// A compact label for `value`, a multiple of a step of size about 10^`stepExponent`.
    static func label(_ value: Double, stepExponent: Int, scientific: Bool) -> String {
        if value == 0 { return "0" }
        if scientific {
            let exponent = Int(log10(abs(value)).rounded(.down))
            let decimals = Swift.max(0, Swift.min(6, exponent - stepExponent))
            let mantissa = trimmingZeros(String(format: "%.\(decimals)f", value / pow(10, Double(exponent))))
            // Rounding can carry the mantissa to 10 (9.96 → "10"); re-base it.
            if mantissa == "10" || mantissa == "-10" {
                return (value < 0 ? "-1" : "1") + "e\(exponent + 1)"
            }
            return "\(mantissa)e\(exponent)"
        }
        let decimals = Swift.max(0, Swift.min(12, -stepExponent))
        return trimmingZeros(String(format: "%.\(decimals)f", value))
    }

    /// `"0.50"` as `"0.5"` and `"1.0"` as `"1"`: the shortest text for the value.
    private static func trimmingZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var result = Substring(text)
        while result.hasSuffix("0") { result = result.dropLast() }
        if result.hasSuffix(".") { result = result.dropLast() }
        return String(result)
    }

    /// Whether labels of these ticks are shorter in scientific notation.
    private static func useScientific(_ values: [Double]) -> Bool {
        let largest = values.map(abs).max() ?? 0
        return largest >= 1e6 || (largest > 0 && largest < 1e-3)
    }
}

/// A number of the form mantissa × 10^exponent with mantissa 1, 2 or 5.
private struct NiceNumber {
    var mantissa: Int
    var exponent: Int

    init(mantissa: Int, exponent: Int) {
        self.mantissa = mantissa
        self.exponent = exponent
    }

    /// The nice number nearest `rough` on a log scale, so the tick count
    /// lands near the one asked for (the rule d3 uses).
    init(roughly rough: Double) {
        var exponent = Int(log10(rough).rounded(.down))
        let fraction = rough / pow(10, Double(exponent))
        let mantissa: Int
        if fraction >= 50.0.squareRoot() {
            mantissa = 1
            exponent += 1
        } else if fraction >= 10.0.squareRoot() {
            mantissa = 5
        } else if fraction >= 2.0.squareRoot() {
            mantissa = 2
        } else {
            mantissa = 1
        }
        self.init(mantissa: mantissa, exponent: exponent)
    }

    var value: Double { multiple(1) }

    /// `count` × this number, computed so that 3 × 0.1 is 0.3 rather than 0.30000000000000004.
    func multiple(_ count: Int) -> Double {
        let whole = Double(count * mantissa)
        return exponent >= 0 ? whole * pow(10, Double(exponent)) : whole / pow(10, Double(-exponent))
    }
}
