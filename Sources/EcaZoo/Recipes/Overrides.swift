/// Command-line overrides, `--set PATH=VALUE`, applied to a recipe's JSON
/// before it is read, so any field can be changed without editing the file.
///
/// A path is keys separated by dots, with `[N]` to pick an array element:
/// `model.aggregator.type`, `data.splits[1]`, `layers[0].width`. The value is
/// read as JSON if it parses (`3`, `0.5`, `true`, `null`, `[64, 64]`,
/// `{"type": "mean"}`, `"123"`), and otherwise taken as a plain string, so
/// `--set model.aggregator.type=softmax` needs no quotes. A value that starts
/// like JSON (`[`, `{` or `"`) but does not parse is an error rather than a
/// string, because it is almost certainly a mistyped array or object.
///
/// ```swift
/// let overrides = try Overrides(["model.aggregator.type=softmax", "training.epochs=5"])
/// let patched = try overrides.apply(to: recipeJSON)
/// ```
///
/// Missing objects along the path are created; an existing value of the
/// wrong kind (indexing a string, setting a key inside a number) is an error.
/// Errors are ``RecipeError``s whose file is `"--set"`.
public struct Overrides: Equatable, Sendable {
    /// One step of a path.
    public enum PathComponent: Equatable, Sendable {
        case key(String)
        case index(Int)
    }

    /// One parsed `PATH=VALUE`.
    public struct Assignment: Equatable, Sendable {
        /// The path, never empty, always starting with a key.
        public var path: [PathComponent]
        /// The value to store.
        public var value: JSONValue

        public init(path: [PathComponent], value: JSONValue) {
            self.path = path
            self.value = value
        }

        /// The path written back as text, such as `data.splits[1]`.
        public var pathText: String { Overrides.format(path) }
    }

    /// The file name errors give for overrides.
    public static let origin = "--set"

    /// The assignments, in the order they apply; a later one wins.
    public private(set) var assignments: [Assignment]

    /// Parses each argument of `--set`.
    /// - Throws: ``RecipeError`` for a missing `=`, an empty or malformed
    ///   path, or a value that looks like JSON but does not parse.
    public init(_ arguments: [String]) throws {
        assignments = try arguments.map(Overrides.parse)
    }

    /// Parses one `PATH=VALUE` argument.
    public static func parse(_ argument: String) throws -> Assignment {
        guard let equals = argument.firstIndex(of: "=") else {
            throw RecipeError(file: origin, message: "expected PATH=VALUE, got \(JSONWriter.quote(argument))")
        }
        let pathText = String(argument[..<equals])
        let valueText = String(argument[argument.index(after: equals)...])
        return Assignment(path: try parsePath(pathText), value: try parseValue(valueText, pathText: pathText))
    }

    /// Parses a path such as `a.b[2].c`.
    public static func parsePath(_ text: String) throws -> [PathComponent] {
        func invalid(_ reason: String) -> RecipeError {
            RecipeError(file: origin, message: "invalid path \(JSONWriter.quote(text)): \(reason)")
        }
        guard !text.isEmpty else { throw RecipeError(file: origin, message: "empty path before '='") }
        var components: [PathComponent] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.first == "[" {
                guard !components.isEmpty else { throw invalid("must start with a key") }
                guard let close = rest.firstIndex(of: "]") else { throw invalid("missing ']'") }
                let digits = rest[rest.index(after: rest.startIndex)..<close]
                guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let index = Int(digits) else {
                    throw invalid("index must be a non-negative integer, got \(JSONWriter.quote(String(digits)))")
                }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
                // After an index comes another index, a dot, or the end.
                if rest.first == "." {
                    rest = rest.dropFirst()
                    if rest.isEmpty { throw invalid("empty key") }
                } else if let next = rest.first, next != "[" {
                    throw invalid("expected '.' or '[' after ']'")
                }
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let key = rest[..<end]
                if key.isEmpty { throw invalid("empty key") }
                if key.contains("]") { throw invalid("unexpected ']'") }
                components.append(.key(String(key)))
                rest = rest[end...]
                if rest.first == "." {
                    rest = rest.dropFirst()
                    if rest.isEmpty { throw invalid("empty key") }
                }
            }
        }
        return components
    }

    /// Returns `value` with every assignment applied in order.
    /// - Throws: ``RecipeError`` when a path runs into a value of the wrong
    ///   kind or an index beyond the end of an array.
    public func apply(to value: JSONValue) throws -> JSONValue {
        var result = value
        for assignment in assignments {
            try Overrides.set(assignment.value, at: assignment.path[...], in: &result, walked: [])
        }
        return result
    }

    // MARK: - Implementation

    private static func parseValue(_ text: String, pathText: String) throws -> JSONValue {
        do {
            return try JSONParser.parse(text: text, origin: origin)
        } catch let error as RecipeError {
            let start = text.first { !$0.isWhitespace }
            guard start == "[" || start == "{" || start == "\"" else { return .string(text) }
            var reason = error.message
            if let position = error.position { reason = "column \(position.column): \(reason)" }
            throw RecipeError(file: origin, path: pathText, message: "value \(text) is not valid JSON (\(reason))")
        }
    }

    private static func set(
        _ newValue: JSONValue, at path: ArraySlice<PathComponent>, in target: inout JSONValue, walked: [PathComponent]
    ) throws {
        guard let step = path.first else {
            target = newValue
            return
        }
        let rest = path.dropFirst()
        let here = walked + [step]
        switch step {
        case .key(let key):
            var object: JSONObject
            switch target {
            case .object(let existing): object = existing
            // Missing sections are created, so `--set a.b.c=1` works on `{}`.
            case .null: object = JSONObject()
            default:
                throw RecipeError(
                    file: origin, path: format(walked),
                    message: "expected an object to set \(JSONWriter.quote(key)) in, got \(target.briefDescription)")
            }
            var child = object[key] ?? .null
            try set(newValue, at: rest, in: &child, walked: here)
            object[key] = child
            target = .object(object)
        case .index(let index):
            guard case .array(var elements) = target else {
                let found = target.isNull ? "nothing" : target.briefDescription
                throw RecipeError(
                    file: origin, path: format(walked),
                    message: "expected an array to index with [\(index)], got \(found)")
            }
            // Writing one past the end appends, so a list can grow from the command line.
            guard index <= elements.count else {
                throw RecipeError(
                    file: origin, path: format(walked),
                    message: "index \(index) is out of range for an array of \(elements.count) elements")
            }
            var child = index < elements.count ? elements[index] : .null
            try set(newValue, at: rest, in: &child, walked: here)
            if index < elements.count { elements[index] = child } else { elements.append(child) }
            target = .array(elements)
        }
    }

    /// `a.b[2].c` from its components.
    static func format(_ path: [PathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
