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
        var source = SetCSVSource(path: input)
        source.setColumn = a.last("set-column") ?? "set"
        source.targetColumn = a.last("target-column") ?? "target"
        source.requireTarget = false
        let data = try source.load()
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
        guard scaler.featureMean.count == data.featureWidth else { throw widthMismatch(trained: scaler.featureMean.count) }
        var standardized = scaler
        standardized.targetMean = 0; standardized.targetStd = 1
        let predictions = Trainer.predict(model: model, data: standardized.apply(data), scaler: scaler, batchSize: 1024)
        let ids = try setIDs(input, column: source.setColumn)
        let hasTarget = (try? CSVTable.read(path: input, numericColumns: .allExcept([source.setColumn])))?.column(source.targetColumn) != nil
        var out = hasTarget ? "set,prediction,target\n" : "set,prediction\n"
        for (i, p) in predictions.enumerated() {
            out += "\(ids[i]),\(p)" + (hasTarget ? ",\(data.targets[i])" : "") + "\n"
        }
        if let path = a.last("output") {
            try AtomicFile.write(Data(out.utf8), to: path)
            print("wrote \(predictions.count) predictions to \(path)")
        } else {
            print(out, terminator: "")
        }
        return ExitStatus.ok
    }

    /// Set ids in order of first appearance (the order `SetCSVSource` uses).
    static func setIDs(_ path: String, column: String) throws -> [String] {
        let table = try CSVTable.read(path: path, numericColumns: .allExcept([column]))
        var seen = Set<String>(), order: [String] = []
        for id in table.textColumn(column) ?? [] where seen.insert(id).inserted { order.append(id) }
        return order
    }
}
