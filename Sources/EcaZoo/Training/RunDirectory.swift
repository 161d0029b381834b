import Foundation
import TensorEngine

/// The files of one run, each written atomically:
///
///     recipe.resolved.json   every default filled in, overrides applied
///     metrics.jsonl          one JSON object per epoch, appended as epochs finish
///     model.safetensors      weights at the best epoch (safetensors layout)
///     summary.json           best and final metrics, speed, seed, version
///     curves.svg             PCC/MSE curves, plateau marker, gradient ratio
public struct RunDirectory {
    public let path: String

    /// Creates a fresh directory under `parent` (`name`, or `name-2`, … if taken).
    public static func create(parent: String, name: String) throws -> RunDirectory {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: parent, isDirectory: &isDir), !isDir.boolValue {
            throw FileError(.createDirectory, path: parent, code: ENOTDIR)
        }
        // Missing parents are created here; if that fails, mkdir below reports why.
        try? fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        // mkdir(2) claims a name atomically (two runs never share one) and its errno is reliable.
        var k = 1
        while true {
            let candidate = k == 1 ? parent + "/" + name : parent + "/" + name + "-\(k)"
            if mkdir(candidate, 0o755) == 0 { return RunDirectory(path: candidate) }
            guard errno == EEXIST else { throw FileError(.createDirectory, path: candidate, code: errno) }
            k += 1
        }
    }

    public init(path: String) { self.path = path }

    public func file(_ name: String) -> String { path + "/" + name }

    public func write(_ name: String, text: String) throws {
        try AtomicFile.write(Data(text.utf8), to: file(name))
    }

    public func appendMetrics(_ record: EpochRecord) throws {
        try AtomicFile.appendLine(JSONWriter.compact(RunDirectory.json(record)), to: file("metrics.jsonl"))
    }

    /// Writes the model's current weights and what is needed to rebuild it;
    /// `featureWidth` (the data's element features) lets `predict` check its input first.
    public func writeCheckpoint(_ model: SetRegressor, weights: [[Float]], resolved: JSONValue, scaler: Standardizer,
                                featureWidth: Int? = nil) throws {
        let params = model.parameters
        let tensors = zip(params, weights).map { (name: $0.name, shape: $0.value.shape, values: $1) }
        var metadata = Checkpoint.metadata(resolved: resolved, scaler: scaler)
        if let featureWidth { metadata["feature_width"] = "\(featureWidth)" }
        try Safetensors.write(tensors: tensors, metadata: metadata, to: file("model.safetensors"))
    }

    // MARK: - JSON

    public static func json(_ m: Metrics) -> JSONValue {
        .object(JSONObject(pairs: [
            ("mse", .number(m.mse)), ("rmse", .number(m.rmse)), ("mae", .number(m.mae)),
            ("pcc", .number(m.pcc)), ("spearman", .number(m.spearman)), ("sigma_pred", .number(m.sigmaPred)),
        ]))
    }

    public static func json(_ r: EpochRecord) -> JSONValue {
        var o = JSONObject(pairs: [
            ("epoch", .number(Double(r.epoch))), ("train_loss", .number(r.trainLoss)), ("train_mse", .number(r.trainMSE)),
            ("lr", .number(r.learningRate)), ("seconds", .number(r.seconds)), ("val", json(r.validation)),
        ])
        if let c = r.trainCorrelation { o["train_corr"] = .number(c) }
        if let t = r.test { o["test"] = json(t) }
        if !r.diagnostics.isEmpty {
            o["diagnostics"] = .object(JSONObject(pairs: r.diagnostics.keys.sorted().map { ($0, JSONValue.number(r.diagnostics[$0]!)) }))
        }
        return .object(o)
    }
}

/// Checkpoint metadata: enough to rebuild the model and refuse a mismatched one.
///
/// A mismatch is the user's to fix (the wrong run directory, a copied file), so
/// it is a ``DataError`` naming the checkpoint: exit status 2 at the command line.
public enum Checkpoint {
    public static let format = "eca-zoo-checkpoint-1"

    static func metadata(resolved: JSONValue, scaler: Standardizer) -> [String: String] {
        [
            "format": format,
            "version": EcaZooVersion.string,
            "model": JSONWriter.compact(resolved["model"] ?? .null),
            "feature_mean": JSONWriter.compact(.array(scaler.featureMean.map { .number(Double($0)) })),
            "feature_std": JSONWriter.compact(.array(scaler.featureStd.map { .number(Double($0)) })),
            "target_mean": "\(scaler.targetMean)",
            "target_std": "\(scaler.targetStd)",
        ]
    }

    /// The number of element features the checkpoint was trained on, or `nil`
    /// if it does not record it.
    public static func featureWidth(path: String) throws -> Int? {
        try Safetensors.read(path: path).metadata["feature_width"].flatMap { Int($0) }
    }

    /// Loads weights into `model`, refusing a checkpoint whose names or shapes differ.
    public static func load(path: String, into model: SetRegressor) throws -> Standardizer {
        func mismatch(_ reason: String) -> DataError { .invalid(file: path, row: nil, column: nil, reason: reason) }
        let (tensors, meta) = try Safetensors.read(path: path)
        guard meta["format"] == format else {
            throw mismatch("not an eca-zoo checkpoint (format \(meta["format"] ?? "missing"))")
        }
        let byName = Dictionary(tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let params = model.parameters
        for p in params {
            guard let t = byName[p.name] else {
                throw mismatch("checkpoint is from another model: it has no parameter \"\(p.name)\"")
            }
            guard t.shape == p.value.shape else {
                throw mismatch("checkpoint is from another model: \(p.name) has shape \(t.shape), the model expects \(p.value.shape)")
            }
        }
        if tensors.count != params.count {
            let extra = Set(byName.keys).subtracting(params.map(\.name)).sorted()
            throw mismatch("checkpoint is from another model: unexpected parameters \(extra.prefix(5).joined(separator: ", "))")
        }
        for p in params { p.assign(byName[p.name]!.values) }
        func floats(_ key: String) -> [Float] {
            guard let text = meta[key], let v = try? JSONParser.parse(text: text, origin: key), case .array(let a) = v else { return [] }
            return a.compactMap { $0.doubleValue.map(Float.init) }
        }
        return Standardizer(featureMean: floats("feature_mean"), featureStd: floats("feature_std"),
                            targetMean: Float(meta["target_mean"] ?? "0") ?? 0, targetStd: Float(meta["target_std"] ?? "1") ?? 1)
    }
}
