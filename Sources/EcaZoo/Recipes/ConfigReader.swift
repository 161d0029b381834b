/// A typed, validating cursor over one JSON object of a recipe: the only way
/// configuration leaves JSON.
///
/// Each read names a key, gives a default (or none, for a required key) and
/// optionally a rule; a wrong value throws a ``RecipeError`` that names the
/// file and the JSON path. The reader remembers every key it was asked for,
/// so ``finish()`` can refuse keys nobody read (typos) with a suggestion, and
/// it records each effective value, defaults included, in ``resolved``.
///
/// ```swift
/// let r = try ConfigReader(value, file: "recipes/x.json", path: "model.aggregator")
/// let tMin = try r.double("t_min", default: 0.1, where: .greaterThan(0))
/// let heads = try r.int("heads", default: 1, where: .atLeast(1))
/// let scorer = try r.string("scorer", default: "tanh", oneOf: ["linear", "tanh", "gated"])
/// let gammaMax = try r.optionalDouble("gamma_max", where: .greaterThan(1))
/// let split = try r.object("split")      // path "model.aggregator.split"
/// try r.finish()                          // "t_mn: unknown key; did you mean "t_min"?"
/// ```
///
/// Rules shared by every read:
/// - An absent key, or one set to `null`, takes the default; with no default
///   an absent key is an error ("missing required key") and `null` a type error.
/// - `optional…` reads give `nil` for an absent or `null` key, and record `null`.
/// - Reading a key twice is allowed; the last read decides what is recorded.
/// - Child readers (``object(_:)``, ``objects(_:minCount:maxCount:)``) are
///   checked by the parent's ``finish()`` and merged into its ``resolved``.
public final class ConfigReader {
    /// The file named in errors.
    public let file: String
    /// The JSON path of this object, such as `model.aggregator`; empty for
    /// the top level.
    public let path: String
    /// The object being read, as written.
    public let object: JSONObject

    /// Keys asked for, present or not, in the order asked: the known keys
    /// offered when an unknown one turns up.
    private var askedKeys: [String] = []
    private var askedSet: Set<String> = []
    /// What each read key resolved to, in reading order.
    private var entryKeys: [String] = []
    private var entryStore: [String: Entry] = [:]

    private enum Entry {
        case value(JSONValue)
        case reader(ConfigReader)
        case readers([ConfigReader])
    }

    /// Creates a reader over `value`, which must be an object.
    /// - Parameters:
    ///   - value: The JSON to read.
    ///   - file: The file named in errors.
    ///   - path: The JSON path of `value`; empty for a whole file.
    /// - Throws: ``RecipeError`` "expected an object, got …" if `value` is not
    ///   an object.
    public init(_ value: JSONValue, file: String, path: String = "") throws {
        guard case .object(let object) = value else {
            throw RecipeError(file: file, path: path, message: "expected an object, got \(value.briefDescription)")
        }
        self.file = file
        self.path = path
        self.object = object
    }

    /// The keys present in the object, in document order.
    public var keys: [String] { object.keys }

    /// Whether `key` is present and not `null`. Does not count as reading it.
    public func has(_ key: String) -> Bool {
        if let value = object[key], !value.isNull { return true }
        return false
    }

    /// The JSON path of the member `key`, as errors print it.
    public func path(of key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// An error about the member `key`, or about this object when `key` is
    /// `nil`, for checks the typed reads cannot express:
    ///
    /// ```swift
    /// if tMax < tMin { throw r.error(at: "t_max", "must be >= t_min (\(tMin)), got \(tMax)") }
    /// ```
    public func error(at key: String?, _ message: String) -> RecipeError {
        RecipeError(file: file, path: key.map(path(of:)) ?? path, message: message)
    }

    // MARK: - Numbers

    /// A number.
    /// - Parameters:
    ///   - key: The member to read.
    ///   - defaultValue: The value when the key is absent or `null`; `nil`
    ///     makes the key required.
    ///   - constraint: The allowed range. The default must satisfy it.
    public func double(
        _ key: String, default defaultValue: Double? = nil, where constraint: NumberConstraint? = nil
    ) throws -> Double {
        let number = try readNumber(key, default: defaultValue, where: constraint, integer: false)
        record(key, .value(.number(number)))
        return number
    }

    /// A number, or `nil` if the key is absent or `null`.
    public func optionalDouble(_ key: String, where constraint: NumberConstraint? = nil) throws -> Double? {
        guard has(key) else { return recordAbsent(key) }
        return try double(key, where: constraint)
    }

    /// A whole number: `2` and `2.0` are accepted, `2.5` is not.
    /// - Parameters:
    ///   - key: The member to read.
    ///   - defaultValue: The value when the key is absent or `null`; `nil`
    ///     makes the key required.
    ///   - constraint: The allowed range.
    public func int(_ key: String, default defaultValue: Int? = nil, where constraint: NumberConstraint? = nil) throws -> Int {
        let number = try readNumber(key, default: defaultValue.map(Double.init), where: constraint, integer: true)
        record(key, .value(.number(number)))
        return Int(number)
    }

    /// A whole number, or `nil` if the key is absent or `null`.
    public func optionalInt(_ key: String, where constraint: NumberConstraint? = nil) throws -> Int? {
        guard has(key) else { return recordAbsent(key) }
        return try int(key, where: constraint)
    }

    // MARK: - Booleans and strings

    /// `true` or `false`.
    public func bool(_ key: String, default defaultValue: Bool? = nil) throws -> Bool {
        let flag: Bool
        switch try lookup(key, hasDefault: defaultValue != nil) {
        case nil: flag = defaultValue!
        case .bool(let given)?: flag = given
        case let other?: throw error(at: key, "expected true or false, got \(other.briefDescription)")
        }
        record(key, .value(.bool(flag)))
        return flag
    }

    /// `true` or `false`, or `nil` if the key is absent or `null`.
    public func optionalBool(_ key: String) throws -> Bool? {
        guard has(key) else { return recordAbsent(key) }
        return try bool(key)
    }

    /// A string, optionally restricted to a list of allowed values.
    /// - Parameters:
    ///   - key: The member to read.
    ///   - defaultValue: The value when the key is absent or `null`; `nil`
    ///     makes the key required.
    ///   - allowed: If given, the only accepted values; the error lists them
    ///     and suggests the closest.
    public func string(_ key: String, default defaultValue: String? = nil, oneOf allowed: [String]? = nil) throws -> String {
        let text: String
        switch try lookup(key, hasDefault: defaultValue != nil) {
        case nil: text = defaultValue!
        case .string(let given)?: text = given
        case let other?: throw error(at: key, "expected a string, got \(other.briefDescription)")
        }
        if let allowed, !allowed.contains(text) {
            throw error(at: key, ConfigReader.notOneOf(text, allowed: allowed))
        }
        record(key, .value(.string(text)))
        return text
    }

    /// A string, or `nil` if the key is absent or `null`.
    public func optionalString(_ key: String, oneOf allowed: [String]? = nil) throws -> String? {
        guard has(key) else { return recordAbsent(key) }
        return try string(key, oneOf: allowed)
    }

    /// A string naming a case of `Choice`, such as an enum of scorer kinds.
    ///
    /// ```swift
    /// enum Scorer: String, CaseIterable { case linear, tanh, gated }
    /// let scorer: Scorer = try r.choice("scorer", default: .tanh)
    /// ```
    public func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, default defaultValue: Choice? = nil
    ) throws -> Choice where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue)
        let text = try string(key, default: defaultValue?.rawValue, oneOf: allowed)
        return Choice(rawValue: text)!
    }

    // MARK: - Objects

    /// The member `key` as a child reader whose path is `path.key`. An absent
    /// or `null` key reads as an empty object, so the child's defaults apply
    /// and still appear in ``resolved``.
    /// - Throws: ``RecipeError`` if the member is present but not an object.
    public func object(_ key: String) throws -> ConfigReader {
        let value = try lookup(key, hasDefault: true) ?? .object(JSONObject())
        let child = try ConfigReader(value, file: file, path: path(of: key))
        record(key, .reader(child))
        return child
    }

    /// The member `key` as a child reader, or `nil` (recorded as `null`) if
    /// the key is absent or `null`: for sections whose presence means something.
    public func optionalObject(_ key: String) throws -> ConfigReader? {
        guard has(key) else { return recordAbsent(key) }
        return try object(key)
    }

    // MARK: - Arrays

    /// An array of objects, each as a child reader with path `path.key[i]`.
    /// An absent or `null` key reads as an empty array.
    public func objects(_ key: String, minCount: Int = 0, maxCount: Int? = nil) throws -> [ConfigReader] {
        let elements = try readArray(key, default: [], minCount: minCount, maxCount: maxCount)
        let children = try elements.enumerated().map { index, element in
            try ConfigReader(element, file: file, path: "\(path(of: key))[\(index)]")
        }
        record(key, .readers(children))
        return children
    }

    /// An array of numbers, each checked against `constraint`.
    /// - Parameters:
    ///   - key: The member to read.
    ///   - defaultValue: The value when the key is absent or `null`; `nil`
    ///     makes the key required.
    ///   - constraint: The allowed range of each element.
    ///   - minCount: The fewest elements allowed.
    ///   - maxCount: The most elements allowed, if limited.
    public func doubles(
        _ key: String, default defaultValue: [Double]? = nil, where constraint: NumberConstraint? = nil,
        minCount: Int = 0, maxCount: Int? = nil
    ) throws -> [Double] {
        let elements = try readArray(key, default: defaultValue?.map(JSONValue.number), minCount: minCount, maxCount: maxCount)
        let numbers = try elements.enumerated().map { index, element in
            try checkNumber(element, at: "\(path(of: key))[\(index)]", where: constraint, integer: false)
        }
        record(key, .value(.array(numbers.map(JSONValue.number))))
        return numbers
    }

    /// An array of whole numbers, each checked against `constraint`.
    public func ints(
        _ key: String, default defaultValue: [Int]? = nil, where constraint: NumberConstraint? = nil,
        minCount: Int = 0, maxCount: Int? = nil
    ) throws -> [Int] {
        let elements = try readArray(
            key, default: defaultValue?.map { .number(Double($0)) }, minCount: minCount, maxCount: maxCount)
        let numbers = try elements.enumerated().map { index, element in
            try checkNumber(element, at: "\(path(of: key))[\(index)]", where: constraint, integer: true)
        }
        record(key, .value(.array(numbers.map(JSONValue.number))))
        return numbers.map { Int($0) }
    }

    /// An array of strings, each optionally restricted to `allowed`.
    public func strings(
        _ key: String, default defaultValue: [String]? = nil, oneOf allowed: [String]? = nil,
        minCount: Int = 0, maxCount: Int? = nil
    ) throws -> [String] {
        let elements = try readArray(key, default: defaultValue?.map(JSONValue.string), minCount: minCount, maxCount: maxCount)
        let texts = try elements.enumerated().map { index, element -> String in
            let elementPath = "\(path(of: key))[\(index)]"
            guard case .string(let text) = element else {
                throw RecipeError(file: file, path: elementPath, message: "expected a string, got \(element.briefDescription)")
            }
            if let allowed, !allowed.contains(text) {
                throw RecipeError(file: file, path: elementPath, message: ConfigReader.notOneOf(text, allowed: allowed))
            }
            return text
        }
        record(key, .value(.array(texts.map(JSONValue.string))))
        return texts
    }

    // MARK: - Raw access

    /// The member `key` as written, or `nil` if absent, for values whose
    /// shape the caller checks itself. It counts as read and is recorded
    /// as is.
    public func value(_ key: String) -> JSONValue? {
        ask(key)
        guard let value = object[key] else { return nil }
        record(key, .value(value))
        return value
    }

    // MARK: - Finishing

    /// Throws if any key of this object, or of any child reader, was never
    /// read: almost always a typo or a setting in the wrong place. The message
    /// suggests the closest known key, or lists them all.
    ///
    ///     recipes/x.json: model.aggregator.t_mn: unknown key; did you mean "t_min"?
    public func finish() throws {
        for key in object.keys where !askedSet.contains(key) {
            let message: String
            if let suggestion = EditDistance.suggestion(for: key, among: askedKeys) {
                message = "unknown key; did you mean \(JSONWriter.quote(suggestion))?"
            } else if askedKeys.isEmpty {
                message = "unknown key; this object takes no keys"
            } else {
                message = "unknown key; known keys are \(askedKeys.map(JSONWriter.quote).joined(separator: ", "))"
            }
            throw error(at: key, message)
        }
        for key in entryKeys {
            switch entryStore[key]! {
            case .value: break
            case .reader(let child): try child.finish()
            case .readers(let children): for child in children { try child.finish() }
            }
        }
    }

    /// Every key read so far with its effective value (defaults filled in,
    /// absent optionals as `null`, children resolved recursively), in the
    /// order read: what a run writes as `recipe.resolved.json`.
    public var resolved: JSONObject {
        var result = JSONObject()
        for key in entryKeys {
            switch entryStore[key]! {
            case .value(let value): result[key] = value
            case .reader(let child): result[key] = .object(child.resolved)
            case .readers(let children): result[key] = .array(children.map { .object($0.resolved) })
            }
        }
        return result
    }

    // MARK: - Implementation

    private func ask(_ key: String) {
        if askedSet.insert(key).inserted { askedKeys.append(key) }
    }

    private func record(_ key: String, _ entry: Entry) {
        if entryStore.updateValue(entry, forKey: key) == nil { entryKeys.append(key) }
    }

    private func recordAbsent<T>(_ key: String) -> T? {
        ask(key)
        record(key, .value(.null))
        return nil
    }

    /// The member's value, or `nil` if the default should apply.
    private func lookup(_ key: String, hasDefault: Bool) throws -> JSONValue? {
        ask(key)
        switch object[key] {
        case nil:
            if hasDefault { return nil }
            throw error(at: nil, "missing required key \(JSONWriter.quote(key))")
        case .null? where hasDefault:
            return nil
        case let value?:
            return value
        }
    }

    private func readNumber(_ key: String, default defaultValue: Double?, where constraint: NumberConstraint?, integer: Bool) throws -> Double {
        guard let value = try lookup(key, hasDefault: defaultValue != nil) else {
            // A default outside its own rule is a bug in the config type, not
            // something the user could fix, so it is not a RecipeError.
            precondition(
                constraint?.contains(defaultValue!) ?? true,
                "ConfigReader: default \(defaultValue!) for \(path(of: key)) is not \(constraint?.summary ?? "")")
            return defaultValue!
        }
        return try checkNumber(value, at: path(of: key), where: constraint, integer: integer)
    }

    private func checkNumber(_ value: JSONValue, at valuePath: String, where constraint: NumberConstraint?, integer: Bool) throws -> Double {
        guard case .number(let number) = value else {
            throw RecipeError(file: file, path: valuePath, message: "expected a number, got \(value.briefDescription)")
        }
        if integer && Int(exactly: number) == nil {
            throw RecipeError(file: file, path: valuePath, message: "must be an integer, got \(JSONValue.format(number))")
        }
        if let constraint, !constraint.contains(number) {
            throw RecipeError(
                file: file, path: valuePath, message: "must be \(constraint.summary), got \(JSONValue.format(number))")
        }
        return number
    }

    private func readArray(_ key: String, default defaultValue: [JSONValue]?, minCount: Int, maxCount: Int?) throws -> [JSONValue] {
        let elements: [JSONValue]
        switch try lookup(key, hasDefault: defaultValue != nil) {
        case nil: elements = defaultValue!
        case .array(let given)?: elements = given
        case let other?: throw error(at: key, "expected an array, got \(other.briefDescription)")
        }
        if elements.count < minCount {
            throw error(at: key, "must have at least \(ConfigReader.count(minCount)), got \(elements.count)")
        }
        if let maxCount, elements.count > maxCount {
            throw error(at: key, "must have at most \(ConfigReader.count(maxCount)), got \(elements.count)")
        }
        return elements
    }

    private static func count(_ number: Int) -> String {
        number == 1 ? "1 element" : "\(number) elements"
    }

    private static func notOneOf(_ text: String, allowed: [String]) -> String {
        var message = "must be one of \(allowed.map(JSONWriter.quote).joined(separator: ", ")), got \(JSONWriter.quote(text))"
        if let suggestion = EditDistance.suggestion(for: text, among: allowed) {
            message += "; did you mean \(JSONWriter.quote(suggestion))?"
        }
        return message
    }
}
