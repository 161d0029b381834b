import Foundation

/// A sweep file expanded into its members: every variant crossed with the
/// cartesian product of the grid, each a name and the `--set` overrides that
/// turn the base recipe into that member.
///
/// ```jsonc
/// {
///   "base": "homog.json",                       // relative to the sweep file
///   "set": {"train.epochs": 10},                // applied to every member (optional)
///   "grid": {"data.eta": [0.3, 1.0], "train.seed": [0, 1, 2]},
///   "variants": {
///     "eca": {"model.aggregator.type": "eca"},
///     "eca-no-sra": {"model.aggregator.type": "eca", "model.aggregator.sra": false}
///   }
/// }
/// ```
///
/// Members come variant by variant, and within a variant in grid order (the
/// last grid key varies fastest), so indices — and therefore shards — are
/// stable. Names are `VARIANT__KEY=VALUE__…`, e.g.
/// `eca-no-sra__data.eta=0.3__train.seed=1`, safe as directory names.
public struct SweepPlan: Sendable {
    /// One run of the sweep.
    public struct Member: Equatable, Sendable {
        /// Position in the full plan (0-based); shards are taken by this index.
        public var index: Int
        /// Stable, filesystem-safe name: the run directory's name.
        public var name: String
        /// The variant this member belongs to (empty if the sweep has none).
        public var variant: String
        /// `path=value` overrides, in the order they apply: `set`, variant, grid, then the command line's.
        public var overrides: [String]
    }

    /// The sweep file.
    public let file: String
    /// The base recipe, as a path usable from the current directory.
    public let base: String
    /// Every member, in plan order.
    public let members: [Member]

    /// Reads and expands a sweep file.
    /// - Parameters:
    ///   - file: The sweep file.
    ///   - extraOverrides: `--set` arguments from the command line, applied after everything else.
    /// - Throws: ``RecipeError`` naming the file and JSON path of a malformed sweep.
    public static func load(file: String, extraOverrides: [String] = []) throws -> SweepPlan {
        let raw = try JSONParser.parse(file: file)
        let r = try ConfigReader(raw, file: file)
        let baseName = try r.string("base")
        guard !baseName.isEmpty else { throw r.error(at: "base", "must name a recipe file") }
        let set = try assignments(r, "set", required: false)
        let grid = try gridAxes(r)
        let variants = try variantList(r)
        try r.finish()
        _ = try Overrides(extraOverrides)  // refuse a malformed --set now, not in every child

        let directory = (file as NSString).deletingLastPathComponent
        let base = baseName.hasPrefix("/") || directory.isEmpty ? baseName : directory + "/" + baseName
        let members = try expand(set: set, grid: grid, variants: variants, extra: extraOverrides, file: file)
        return SweepPlan(file: file, base: base, members: members)
    }

    /// The members of shard `k` of `n` (1-based `k`): those whose index modulo `n` is `k - 1`.
    public func shard(_ k: Int, of n: Int) -> [Member] {
        precondition(n >= 1 && (1...n).contains(k), "SweepPlan.shard: shard \(k) of \(n) is out of range")
        return members.filter { $0.index % n == k - 1 }
    }

    /// A member's name with its seed part (`train.seed=…`) removed: the group whose
    /// seeds a report averages. A member with nothing but a seed is grouped as "all".
    public static func groupName(of member: String, seedKey: String = "train.seed") -> String {
        let kept = member.components(separatedBy: "__").filter { !$0.hasPrefix(seedKey + "=") }
        let joined = kept.joined(separator: "__")
        return joined.isEmpty ? "all" : joined
    }

    /// `path=value` as a `--set` argument: strings that read back as themselves
    /// stay bare (`model.aggregator.type=eca`), everything else is compact JSON.
    public static func assignment(_ path: String, _ value: JSONValue) -> String {
        if case .string(let text) = value,
           let parsed = try? Overrides.parse(path + "=" + text), parsed.value == value {
            return path + "=" + text
        }
        return path + "=" + JSONWriter.compact(value)
    }

    /// `text` with every character outside `A–Z a–z 0–9 . _ = + -` replaced by `-`.
    public static func safeName(_ text: String) -> String {
        String(text.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || ".=+-_".contains(c)) ? c : "-"
        })
    }

    // MARK: - Implementation

    typealias Assignments = [(path: String, value: JSONValue)]

    static func expand(set: Assignments, grid: [(path: String, values: [JSONValue])],
                       variants: [(name: String, assignments: Assignments)], extra: [String], file: String) throws -> [Member] {
        // Cartesian product of the grid, last key fastest.
        var points: [Assignments] = [[]]
        for axis in grid {
            points = points.flatMap { point in axis.values.map { point + [(axis.path, $0)] } }
        }
        let variantList = variants.isEmpty ? [(name: "", assignments: Assignments())] : variants
        var members: [Member] = []
        var seen: [String: String] = [:]
        for variant in variantList {
            for point in points {
                var parts = variant.name.isEmpty ? [] : [variant.name]
                parts += point.map { "\($0.path)=\(valueLabel($0.value))" }
                let name = parts.isEmpty ? "base" : safeName(parts.joined(separator: "__"))
                if let earlier = seen[name] {
                    throw RecipeError(file: file, message: "two members would both be named \(JSONWriter.quote(name)) (\(earlier) and \(parts.joined(separator: ", "))); make the variant names or grid values distinct")
                }
                seen[name] = parts.joined(separator: ", ")
                let overrides = (set + variant.assignments + point).map { assignment($0.path, $0.value) } + extra
                members.append(Member(index: members.count, name: name, variant: variant.name, overrides: overrides))
            }
        }
        return members
    }

    /// A grid value as it appears in a member name: numbers as JSON writes them, strings bare.
    static func valueLabel(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return JSONWriter.compact(value)
    }

    /// An object of `path: value` pairs; each path must parse as an override path.
    static func assignments(_ r: ConfigReader, _ key: String, required: Bool) throws -> Assignments {
        guard let value = r.value(key), !value.isNull else {
            if required { throw r.error(at: nil, "missing required key \(JSONWriter.quote(key))") }
            return []
        }
        guard case .object(let object) = value else {
            throw r.error(at: key, "expected an object of \"path\": value, got \(value.briefDescription)")
        }
        return try object.map { path, v in
            try checkPath(path, at: r.path(of: key), file: r.file)
            return (path, v)
        }
    }

    static func gridAxes(_ r: ConfigReader) throws -> [(path: String, values: [JSONValue])] {
        guard let value = r.value("grid"), !value.isNull else { return [] }
        guard case .object(let object) = value else {
            throw r.error(at: "grid", "expected an object of \"path\": [values…], got \(value.briefDescription)")
        }
        return try object.map { path, v in
            try checkPath(path, at: "grid", file: r.file)
            guard case .array(let values) = v, !values.isEmpty else {
                throw RecipeError(file: r.file, path: "grid.\(path)", message: "expected a non-empty array of values, got \(v.briefDescription)")
            }
            return (path, values)
        }
    }

    static func variantList(_ r: ConfigReader) throws -> [(name: String, assignments: Assignments)] {
        guard let value = r.value("variants"), !value.isNull else { return [] }
        guard case .object(let object) = value else {
            throw r.error(at: "variants", "expected an object of name: {\"path\": value, …}, got \(value.briefDescription)")
        }
        return try object.map { name, v in
            guard !name.isEmpty, safeName(name) == name, !name.contains("__") else {
                throw RecipeError(file: r.file, path: "variants.\(name)", message: "a variant name may use only letters, digits and . _ = + - (and not \"__\")")
            }
            guard case .object(let o) = v else {
                throw RecipeError(file: r.file, path: "variants.\(name)", message: "expected an object of \"path\": value, got \(v.briefDescription)")
            }
            return (name, try o.map { path, value in
                try checkPath(path, at: "variants.\(name)", file: r.file)
                return (path, value)
            })
        }
    }

    static func checkPath(_ path: String, at location: String, file: String) throws {
        do { _ = try Overrides.parsePath(path) } catch let e as RecipeError {
            throw RecipeError(file: file, path: location, message: e.message)
        }
    }
}
