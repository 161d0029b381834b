/// Finds the epoch from which validation PCC stopped improving while MSE kept falling.
///
/// Rule: the plateau starts at epoch `e` (1-based) when, over the next `window`
/// epochs, the best validation PCC rose by at most `tolerance` and validation MSE
/// at `e + window` is still below its value at `e`. The first such `e` is reported;
/// a curve that keeps improving by more than `tolerance` per window never fires.
public struct PlateauDetector {
    public var window: Int
    public var tolerance: Double

    public init(window: Int = 3, tolerance: Double = 0.005) {
        self.window = window
        self.tolerance = tolerance
    }

    /// - Returns: the 1-based plateau epoch, or nil.
    public func plateauEpoch(pcc: [Double], mse: [Double]) -> Int? {
        guard window >= 1, pcc.count > window, mse.count == pcc.count else { return nil }
        var bestSoFar = [Double]()
        var best = -Double.infinity
        for p in pcc { best = max(best, p.isFinite ? p : best); bestSoFar.append(best) }
        for e in 0..<(pcc.count - window) {
            let gain = bestSoFar[e + window] - bestSoFar[e]
            if gain <= tolerance && mse[e + window] < mse[e] { return e + 1 }
        }
        return nil
    }
}
