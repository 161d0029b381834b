import Foundation

/// Reads a finished run directory back: epoch records, label and plateau epoch.
public enum RunReader {
    public struct LoadedRun {
        public var label: String
        public var records: [EpochRecord]
        public var plateauEpoch: Int?
        public var summary: JSONValue
        public var resolved: JSONValue
    }

    public static func read(directory: String) throws -> LoadedRun {
        let metricsPath = directory + "/metrics.jsonl"
        guard FileManager.default.fileExists(atPath: metricsPath) else {
            throw DataError.noSuchFile(file: metricsPath)
        }
        let text = String(decoding: try AtomicFile.read(metricsPath), as: UTF8.self)
        var records: [EpochRecord] = []
        for (i, line) in text.split(separator: "\n").enumerated() where !line.isEmpty {
            let v = try JSONParser.parse(text: String(line), origin: "\(metricsPath):\(i + 1)")
            records.append(record(v))
        }
        let summary = (try? JSONParser.parse(file: directory + "/summary.json")) ?? .null
        let resolved = (try? JSONParser.parse(file: directory + "/recipe.resolved.json")) ?? .null
        let type = resolved["model"]?["aggregator"]?["type"]?.stringValue
        let name = (directory as NSString).lastPathComponent
        return LoadedRun(label: type.map { "\($0) (\(name))" } ?? name, records: records,
                         plateauEpoch: summary["plateau_epoch"]?.intValue, summary: summary, resolved: resolved)
    }

    static func metrics(_ v: JSONValue?) -> Metrics {
        func d(_ k: String) -> Double { v?[k]?.doubleValue ?? .nan }
        return Metrics(mse: d("mse"), rmse: d("rmse"), mae: d("mae"), pcc: d("pcc"), spearman: d("spearman"), sigmaPred: d("sigma_pred"))
    }

    static func record(_ v: JSONValue) -> EpochRecord {
        var diag: [String: Double] = [:]
        if case .object(let o)? = v["diagnostics"] { for (k, x) in o { if let d = x.doubleValue { diag[k] = d } } }
        return EpochRecord(epoch: v["epoch"]?.intValue ?? 0, trainLoss: v["train_loss"]?.doubleValue ?? .nan,
                           trainMSE: v["train_mse"]?.doubleValue ?? .nan, trainCorrelation: v["train_corr"]?.doubleValue,
                           learningRate: v["lr"]?.doubleValue ?? .nan, validation: metrics(v["val"]),
                           test: v["test"].map { metrics($0) }, seconds: v["seconds"]?.doubleValue ?? 0, diagnostics: diag)
    }
}
