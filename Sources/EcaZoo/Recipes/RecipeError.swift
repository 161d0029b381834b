import Foundation

/// A mistake in a recipe, a preset or a `--set` override: the user's to fix,
/// so the command line prints ``description`` alone and exits with status 2.
///
/// The description names where the mistake is, in one of three forms:
///
///     recipes/x.json:3:14: trailing comma before ']'          (syntax: line and column)
///     recipes/x.json: model.aggregator.t_min: must be > 0, got -1   (value: JSON path)
///     recipes/x.json: file is empty                           (whole file)
public struct RecipeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A 1-based line and column in the source text. Columns count
    /// characters, not bytes, so they match what an editor shows.
    public struct Position: Equatable, Sendable {
        public var line: Int
        public var column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    /// The file the mistake is in, as the user named it, or `"--set"` for an
    /// override given on the command line.
    public var file: String
    /// Where in the text a syntax error is; `nil` for errors about values.
    public var position: Position?
    /// The JSON path of the offending value, such as `model.aggregator.t_min`
    /// or `data.splits[1]`; `nil` or empty when the error concerns the whole file.
    public var path: String?
    /// What is wrong, phrased for the user.
    public var message: String

    /// Creates an error about a value or a whole file.
    public init(file: String, path: String? = nil, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    /// Creates a syntax error at a position in the text.
    public init(file: String, position: Position, message: String) {
        self.file = file
        self.position = position
        self.message = message
    }

    /// `FILE:LINE:COLUMN: MESSAGE`, `FILE: PATH: MESSAGE` or `FILE: MESSAGE`.
    public var description: String {
        var text = file
        if let position { text += ":\(position.line):\(position.column)" }
        if let path, !path.isEmpty { text += ": \(path)" }
        return text + ": " + message
    }
}

extension RecipeError: LocalizedError {
    /// The same text as ``description``, so `localizedDescription` is useful too.
    public var errorDescription: String? { description }
}
