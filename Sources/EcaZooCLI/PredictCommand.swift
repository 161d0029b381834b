import EcaZoo
import Foundation

enum PredictCommand {
    static let help = """
    usage: eca-zoo predict RUN_DIR INPUT.csv [--output FILE.csv] [--set-column NAME] [--target-column NAME]
                         [--plugin LIB.so]...

    Predicts with the best checkpoint of a run. INPUT is a set CSV: one element
    per row, a set-id column (default "set"), the same feature columns as in
    training, and optionally a target column (default "target"). Writes
    `set,prediction` rows (plus `target` when present) to FILE or standard output.
    The plugins the run recorded (recipe.resolved.json "plugins") are loaded
    first; --plugin loads further ones (repeatable).
    """

    static func main(_ args: [String]) throws -> Int32 {
        let a = try Arguments(args, valued: ["output", "set-column", "target-column", "plugin"], flags: ["help"], command: "predict")
        if a.flags.contains("help") { print(help); return ExitStatus.ok }
        guard a.positionals.count == 2 else { throw UsageError(description: "predict: expected RUN_DIR and INPUT.csv; usage: eca-zoo predict RUN_DIR INPUT.csv") }
        let runDir = a.positionals[0], input = a.positionals[1]
        let resolvedPath = runDir + "/recipe.resolved.json"
        guard FileManager.default.fileExists(atPath: resolvedPath) else {
            throw UsageError(description: "predict: \(runDir) is not a run directory (no recipe.resolved.json)")
        }
        let resolved = try JSONParser.parse(file: resolvedPath)
        Zoo.registerBuiltins()
        try loadPlugins(a.options["plugin"] ?? [])
        if case .array(let recorded)? = resolved["plugins"] {
            try loadPlugins(recorded.compactMap { if case .string(let path) = $0 { return path } else { return nil } })
        }
        // A table is read with the training recipe's column settings; anything else as a set CSV.
        let trainedData = resolved["data"]
        let tabular = trainedData?["type"]?.stringValue == "tabular_csv"
        let setColumn = a.last("set-column") ?? "set"
        let targetColumn = a.last("target-column") ?? (tabular ? trainedData?["target"]?.stringValue ?? "target" : "target")
        let data: SetDataset
        if tabular {
            var source = TabularCSVSource(path: input, targetColumn: targetColumn)
            source.requireTarget = false
            source.features = trainedData?["features"]?.arrayValue?.compactMap(\.stringValue) ?? []
            source.exclude = trainedData?["exclude"]?.arrayValue?.compactMap(\.stringValue) ?? []
            source.dateColumn = trainedData?["date_column"]?.stringValue
            source.dateFormat = trainedData?["date_format"]?.stringValue ?? source.dateFormat
            source.dropRowsWithMissingValues = trainedData?["missing"]?.stringValue == "drop"
            data = try source.load()
        } else {
            var source = SetCSVSource(path: input)
            source.setColumn = setColumn
            source.targetColumn = targetColumn
            source.requireTarget = false
            data = try source.load()
        }
        let checkpoint = runDir + "/model.safetensors"
        func widthMismatch(trained: Int) -> UsageError {
            let n = data.featureWidth
            return UsageError(description: "predict: \(input) has \(n) feature column\(n == 1 ? "" : "s") (\(data.featureNames.joined(separator: ", "))); the run was trained on \(trained)")
        }
        // Checked before loading: otherwise the first layer's shape mismatch reads as "another model".
        if let trained = try Checkpoint.featureWidth(path: checkpoint), trained != data.featureWidth {
            throw widthMismatch(trained: trained)
        }
        let model = try Experiment.buildModel(resolved["model"] ?? .null, featureWidth: data.featureWidth, file: resolvedPath)
        let scaler = try Checkpoint.load(path: checkpoint, into: model)
        // Positional (tabular) statistics hold one entry per (token, feature).
        let scalerMatches = data.positional ? scaler.featureMean.count % max(data.featureWidth, 1) == 0
                                            : scaler.featureMean.count == data.featureWidth
        guard scalerMatches else { throw widthMismatch(trained: scaler.featureMean.count) }
        var standardized = scaler
        standardized.targetMean = 0; standardized.targetStd = 1
        let predictions = Trainer.predict(model: model, data: standardized.apply(data), scaler: scaler, batchSize: 1024)
        var out = (tabular ? "row" : "set") + (data.hasTargets ? ",prediction,target\n" : ",prediction\n")
        for (i, p) in predictions.enumerated() {
            out += CSVTable.field(data.sampleIDs[i]) + ",\(p)" + (data.hasTargets ? ",\(data.targets[i])" : "") + "\n"
        }
        if let path = a.last("output") {
            try AtomicFile.write(Data(out.utf8), to: path)
            print("wrote \(predictions.count) predictions to \(path)")
        } else {
            print(out, terminator: "")
        }
        return ExitStatus.ok
    }
}
