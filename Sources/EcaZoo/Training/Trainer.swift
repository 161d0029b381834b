import Foundation
import TensorEngine

/// A failure during training (exit status 1 at the command line).
public struct TrainingError: Error, CustomStringConvertible {
    public let description: String
}

/// What one epoch produced.
public struct EpochRecord {
    public var epoch: Int
    public var trainLoss: Double
    public var trainMSE: Double
    public var trainCorrelation: Double?
    public var learningRate: Double
    public var validation: Metrics
    public var test: Metrics?
    public var seconds: Double
    public var diagnostics: [String: Double]
}

/// The shared training engine: seeded shuffled mini-batches, forward, loss,
/// backward, clipping, optimiser step; per-epoch evaluation, best-epoch selection
/// and early stopping. It never names a concrete aggregator.
public final class Trainer {
    public let model: SetRegressor
    public let loss: RegressionLoss
    public let config: TrainingConfig
    public let train: SetDataset, validation: SetDataset, test: SetDataset
    /// Maps standardised predictions back to target units for the metrics.
    public let scaler: Standardizer

    public private(set) var records: [EpochRecord] = []
    public private(set) var bestEpoch = 0
    /// The weights at the best epoch so far, by parameter name order.
    public private(set) var bestWeights: [[Float]] = []
    public private(set) var trainingSeconds = 0.0
    public private(set) var trainingSamples = 0

    /// Called after every epoch (for progress, metrics.jsonl and checkpoints).
    public var onEpoch: ((EpochRecord, _ isBest: Bool) throws -> Void)?
    /// Called after every optimiser step with the epoch, the step within it and the steps per epoch.
    public var onStep: ((_ epoch: Int, _ step: Int, _ steps: Int) -> Void)?

    public init(model: SetRegressor, loss: RegressionLoss, config: TrainingConfig,
                train: SetDataset, validation: SetDataset, test: SetDataset, scaler: Standardizer) {
        self.model = model
        self.loss = loss
        self.config = config
        self.train = train
        self.validation = validation
        self.test = test
        self.scaler = scaler
    }

    /// Higher-is-better view of the selection metric.
    func score(_ m: Metrics) -> Double {
        switch config.selectBy {
        case "mse": return -m.mse
        case "rmse": return -m.rmse
        case "mae": return -m.mae
        default: return m.pcc
        }
    }

    /// Trains for the configured epochs (or until early stopping).
    public func run() throws {
        let params = model.parameters
        let optimizer = config.optimizer.make(params)
        let rng = RandomGenerator(seed: config.seed &+ 0x5EED)
        let perEpoch = max(train.count / config.batchSize, 1)
        let schedule = config.optimizer.makeSchedule(totalSteps: perEpoch * config.epochs)
        let baseLR = config.optimizer.learningRate
        var order = Array(0..<train.count)
        var step = 0
        var bestScore = -Double.infinity
        var sinceBest = 0
        bestWeights = params.map { $0.value.scalars }
        let diagBatch = validation.batch(Array(0..<min(validation.count, config.diagnostics.sampleSize)))

        for epoch in 1...config.epochs {
            let start = Date()
            rng.shuffle(&order)
            var lossSum = 0.0, mseSum = 0.0, corrSum = 0.0, batches = 0
            var lr = Double(baseLR)
            var lo = 0
            while lo < order.count {
                let hi = min(lo + config.batchSize, order.count)
                // A trailing batch of one has no correlation; fold it away.
                if hi - lo < 2 { break }
                let batch = train.batch(Array(order[lo..<hi]))
                lo = hi
                optimizer.learningRate = schedule.rate(at: step, base: baseLR)
                lr = Double(optimizer.learningRate)
                let f = model.forward(batch.elements, mask: batch.mask, training: true)
                let terms = loss(f.prediction, batch.targets, auxiliary: f.pooled.auxiliaryLoss)
                let value = terms.total.item
                guard value.isFinite else {
                    // Before the first epoch ends there is no best epoch and no checkpoint to speak of.
                    let kept = bestEpoch > 0 ? "; the best checkpoint so far (epoch \(bestEpoch)) is kept" : ", before any epoch finished"
                    throw TrainingError(description: "training diverged: the loss is \(value.isNaN ? "NaN" : "\(value)") at epoch \(epoch), step \(step + 1)\(kept). Try a lower optimizer.lr or train.clip_norm.")
                }
                terms.total.backward()
                if let c = config.clipNorm { clipGradientNorm(params, maxNorm: c) }
                optimizer.step()
                optimizer.zeroGrad()
                lossSum += Double(value)
                mseSum += Double(terms.mse.item)
                if let c = terms.correlation { corrSum += Double(c.item) }
                batches += 1
                step += 1
                onStep?(epoch, batches, perEpoch)
                trainingSamples += batch.indices.count
            }
            let trainSeconds = Date().timeIntervalSince(start)
            trainingSeconds += trainSeconds
            let valPredictions = predict(validation), valTargets = validation.targets.map(scaler.unscaleTarget)
            let val = Metrics(predictions: valPredictions, targets: valTargets)
            let tst = test.count > 0 ? evaluate(test) : nil
            var diag = config.diagnostics.enabled && diagBatch.indices.count > 1
                ? EpochDiagnostics.measure(model: model, batch: diagBatch) : [:]
            if config.diagnostics.enabled {
                // Proposition 2.1 on the whole validation split, in target units: the three terms add up to val MSE.
                let parts = MSEDecomposition(predictions: valPredictions, targets: valTargets)
                diag["mse_mean_term"] = parts.meanTerm
                diag["mse_scale_term"] = parts.scaleTerm
                diag["mse_correlation_term"] = parts.correlationTerm
            }
            let record = EpochRecord(epoch: epoch, trainLoss: lossSum / Double(max(batches, 1)),
                                     trainMSE: mseSum / Double(max(batches, 1)),
                                     trainCorrelation: loss.correlation == .none ? nil : corrSum / Double(max(batches, 1)),
                                     learningRate: lr, validation: val, test: tst,
                                     seconds: Date().timeIntervalSince(start), diagnostics: diag)
            records.append(record)
            let s = score(val)
            let isBest = s > bestScore || bestEpoch == 0
            if isBest {
                bestScore = s
                bestEpoch = epoch
                bestWeights = params.map { $0.value.scalars }
                sinceBest = 0
            } else {
                sinceBest += 1
            }
            try onEpoch?(record, isBest)
            if config.patience > 0 && sinceBest >= config.patience { break }
        }
    }

    /// Predictions in target units for every set of `data`, without recording a graph.
    public func predict(_ data: SetDataset) -> [Float] {
        Trainer.predict(model: model, data: data, scaler: scaler, batchSize: config.evalBatchSize)
    }

    public static func predict(model: SetRegressor, data: SetDataset, scaler: Standardizer, batchSize: Int) -> [Float] {
        Autograd.withoutGradients {
            var out: [Float] = []
            out.reserveCapacity(data.count)
            var lo = 0
            while lo < data.count {
                let hi = min(lo + batchSize, data.count)
                let b = data.batch(Array(lo..<hi))
                out += model.forward(b.elements, mask: b.mask, training: false).prediction.scalars.map(scaler.unscaleTarget)
                lo = hi
            }
            return out
        }
    }

    /// Metrics in target units.
    public func evaluate(_ data: SetDataset) -> Metrics {
        Metrics(predictions: predict(data), targets: data.targets.map(scaler.unscaleTarget))
    }

    /// Restores the best epoch's weights into the model.
    public func restoreBest() {
        for (p, w) in zip(model.parameters, bestWeights) { p.assign(w) }
    }
}
