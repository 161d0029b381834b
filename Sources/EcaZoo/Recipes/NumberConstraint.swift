/// An allowed range for a number read by ``ConfigReader``, which names it in
/// the error when a value falls outside: "must be > 0, got -1",
/// "must be in [0, 1], got 1.5".
///
/// ```swift
/// try reader.double("dropout", default: 0, where: .in(0..<1))
/// try reader.int("heads", default: 1, where: .atLeast(1))
/// try reader.double("t_min", default: 0.1, where: .greaterThan(0).and(.atMost(1)))
/// ```
public struct NumberConstraint: Equatable, Sendable {
    /// One end of the range.
    public struct Bound: Equatable, Sendable {
        public var value: Double
        public var inclusive: Bool

        public init(_ value: Double, inclusive: Bool) {
            self.value = value
            self.inclusive = inclusive
        }
    }

    /// The lowest allowed value, if any.
    public var lower: Bound?
    /// The highest allowed value, if any.
    public var upper: Bound?

    /// A range with the given ends; `nil` leaves that side open.
    public init(lower: Bound?, upper: Bound?) {
        self.lower = lower
        self.upper = upper
    }

    /// Values strictly above `bound`.
    public static func greaterThan(_ bound: Double) -> NumberConstraint {
        NumberConstraint(lower: Bound(bound, inclusive: false), upper: nil)
    }

    /// Values at or above `bound`.
    public static func atLeast(_ bound: Double) -> NumberConstraint {
        NumberConstraint(lower: Bound(bound, inclusive: true), upper: nil)
    }

    /// Values strictly below `bound`.
    public static func lessThan(_ bound: Double) -> NumberConstraint {
        NumberConstraint(lower: nil, upper: Bound(bound, inclusive: false))
    }

    /// Values at or below `bound`.
    public static func atMost(_ bound: Double) -> NumberConstraint {
        NumberConstraint(lower: nil, upper: Bound(bound, inclusive: true))
    }

    /// Values from `low` to `high`, both included.
    public static func between(_ low: Double, _ high: Double) -> NumberConstraint {
        NumberConstraint(lower: Bound(low, inclusive: true), upper: Bound(high, inclusive: true))
    }

    /// Values in a closed range, such as `.in(0...1)`.
    public static func `in`(_ range: ClosedRange<Double>) -> NumberConstraint {
        between(range.lowerBound, range.upperBound)
    }

    /// Values in a half-open range, such as `.in(0..<1)`.
    public static func `in`(_ range: Range<Double>) -> NumberConstraint {
        NumberConstraint(lower: Bound(range.lowerBound, inclusive: true), upper: Bound(range.upperBound, inclusive: false))
    }

    /// Values above zero.
    public static let positive = greaterThan(0)
    /// Values at or above zero.
    public static let nonNegative = atLeast(0)
    /// Values in [0, 1], such as probabilities and fractions.
    public static let unitInterval = between(0, 1)

    /// The values allowed by both this and `other`.
    public func and(_ other: NumberConstraint) -> NumberConstraint {
        NumberConstraint(
            lower: NumberConstraint.tighter(lower, other.lower, keepHigher: true),
            upper: NumberConstraint.tighter(upper, other.upper, keepHigher: false))
    }

    /// Whether `value` is allowed. NaN never is.
    public func contains(_ value: Double) -> Bool {
        if let lower, lower.inclusive ? value < lower.value : value <= lower.value { return false }
        if let upper, upper.inclusive ? value > upper.value : value >= upper.value { return false }
        return !value.isNaN
    }

    /// The rule as it reads after "must be": `> 0`, `<= 1`, `in [0, 1)`.
    public var summary: String {
        switch (lower, upper) {
        case let (lower?, upper?):
            return "in \(lower.inclusive ? "[" : "(")\(JSONValue.format(lower.value)), "
                + "\(JSONValue.format(upper.value))\(upper.inclusive ? "]" : ")")"
        case let (lower?, nil):
            return "\(lower.inclusive ? ">=" : ">") \(JSONValue.format(lower.value))"
        case let (nil, upper?):
            return "\(upper.inclusive ? "<=" : "<") \(JSONValue.format(upper.value))"
        case (nil, nil):
            return "any number"
        }
    }

    private static func tighter(_ a: Bound?, _ b: Bound?, keepHigher: Bool) -> Bound? {
        guard let a else { return b }
        guard let b else { return a }
        if a.value == b.value { return Bound(a.value, inclusive: a.inclusive && b.inclusive) }
        return (a.value > b.value) == keepHigher ? a : b
    }
}
