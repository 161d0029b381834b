/// Finds the epoch from which validation PCC stopped improving while MSE kept falling.
///
/// Rule: the plateau starts at epoch `e` (1-based) when at least `window` epochs
/// follow it, no later epoch beats the best validation PCC up to `e` by more than
/// `tolerance`, and validation MSE still reaches a new low after `e`. The first
/// such `e` is reported. A run that keeps improving (ECA breaking through after a
/// stall) therefore gets a late plateau or none, rather than its first stall.
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
        let n = pcc.count
        // Suffix maxima of PCC and minima of MSE: what is still to come after each epoch.
        var laterBestPCC = [Double](repeating: -.infinity, count: n + 1)
        var laterLowMSE = [Double](repeating: .infinity, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            laterBestPCC[i] = max(laterBestPCC[i + 1], pcc[i].isFinite ? pcc[i] : -.infinity)
            laterLowMSE[i] = min(laterLowMSE[i + 1], mse[i].isFinite ? mse[i] : .infinity)
        }
        var bestSoFar = -Double.infinity
        for e in 0..<(n - window) {
            if pcc[e].isFinite { bestSoFar = max(bestSoFar, pcc[e]) }
            if laterBestPCC[e + 1] <= bestSoFar + tolerance && laterLowMSE[e + 1] < mse[e] { return e + 1 }
        }
        return nil
    }
}
