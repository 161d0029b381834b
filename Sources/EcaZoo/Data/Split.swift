import TensorEngine

/// Train/validation/test index sets drawn with a seeded shuffle.
public struct Split {
    public var train: [Int]
    public var validation: [Int]
    public var test: [Int]

    /// Fractions of `count` (test gets the remainder); the shuffle depends only on `seed`.
    public static func fractions(count: Int, train: Double, validation: Double, seed: UInt64) -> Split {
        var order = Array(0..<count)
        RandomGenerator(seed: seed).shuffle(&order)
        let nTrain = Int((Double(count) * train).rounded())
        let nVal = min(Int((Double(count) * validation).rounded()), count - nTrain)
        return Split(train: Array(order[..<nTrain]), validation: Array(order[nTrain..<(nTrain + nVal)]),
                     test: Array(order[(nTrain + nVal)...]))
    }

    /// Fold `k` of `folds` as the test set; validation is the next fold; train the rest.
    public static func kFold(count: Int, folds: Int, fold: Int, seed: UInt64) -> Split {
        var order = Array(0..<count)
        RandomGenerator(seed: seed).shuffle(&order)
        func part(_ f: Int) -> [Int] { Array(order[(count * f / folds)..<(count * (f + 1) / folds)]) }
        let testFold = fold % folds, valFold = (fold + 1) % folds
        var train: [Int] = []
        for f in 0..<folds where f != testFold && f != valFold { train += part(f) }
        return Split(train: train, validation: part(valFold), test: part(testFold))
    }
}
