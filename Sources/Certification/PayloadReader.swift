import LedgerCore

/// Reads the fields of an event payload map, throwing ``CertificationError/Code/malformedPayload``
/// errors that name the event type and field (never the payload bytes).
struct PayloadReader {
    let type: String
    let fields: [String: CanonicalValue]

    init(type: String, payload: CanonicalValue) throws(CertificationError) {
        guard case .map(let m) = payload else {
            throw CertificationError(.malformedPayload, "\(type) payload is not a map")
        }
        self.type = type
        self.fields = m
    }

    func fail(_ key: String, _ problem: String) -> CertificationError {
        CertificationError(.malformedPayload, "\(type) payload field '\(key)' \(problem)")
    }

    func value(_ key: String) throws(CertificationError) -> CanonicalValue {
        guard let v = fields[key] else { throw fail(key, "is missing") }
        return v
    }

    func int(_ key: String) throws(CertificationError) -> Int {
        guard case .int(let i) = try value(key), let n = Int(exactly: i) else { throw fail(key, "is not an integer") }
        return n
    }

    func optionalInt(_ key: String) throws(CertificationError) -> Int? {
        switch fields[key] {
        case nil, .null?: return nil
        case .int(let i)?: return Int(i)
        default: throw fail(key, "is not an integer or null")
        }
    }

    func string(_ key: String) throws(CertificationError) -> String {
        guard case .string(let s) = try value(key) else { throw fail(key, "is not a string") }
        return s
    }

    func optionalString(_ key: String) throws(CertificationError) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw fail(key, "is not a string or null")
        }
    }

    func bool(_ key: String) throws(CertificationError) -> Bool {
        guard case .bool(let b) = try value(key) else { throw fail(key, "is not a boolean") }
        return b
    }

    func map(_ key: String) throws(CertificationError) -> [String: CanonicalValue] {
        guard case .map(let m) = try value(key) else { throw fail(key, "is not a map") }
        return m
    }

    func array(_ key: String) throws(CertificationError) -> [CanonicalValue] {
        guard case .array(let a) = try value(key) else { throw fail(key, "is not an array") }
        return a
    }

    func strings(_ key: String) throws(CertificationError) -> [String] {
        var out: [String] = []
        for item in try array(key) {
            guard case .string(let s) = item else { throw fail(key, "holds a value that is not a string") }
            out.append(s)
        }
        return out
    }

    func numbers(_ key: String) throws(CertificationError) -> [Double] {
        var out: [Double] = []
        for item in try array(key) {
            switch item {
            case .int(let i): out.append(Double(i))
            case .double(let d): out.append(d)
            default: throw fail(key, "holds a value that is not a number")
            }
        }
        return out
    }

    func stringMap(_ key: String) throws(CertificationError) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in try map(key) {
            guard case .string(let s) = v else { throw fail(key, "holds a value that is not a string") }
            out[k] = s
        }
        return out
    }

    func columns(_ key: String) throws(CertificationError) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (k, v) in try map(key) {
            guard case .array(let items) = v else { throw fail(key, "holds a value that is not an array") }
            var cols: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw fail(key, "holds a column that is not a string") }
                cols.append(s)
            }
            out[k] = cols
        }
        return out
    }

    func enumValue<T: RawRepresentable>(_ key: String, _: T.Type) throws(CertificationError) -> T
    where T.RawValue == String {
        let raw = try string(key)
        guard let v = T(rawValue: raw) else { throw fail(key, "has unknown value '\(raw)'") }
        return v
    }

    func range() throws(CertificationError) -> LumisectionRange {
        let first = try int("first_ls")
        let last = try int("last_ls")
        guard first >= 1, first <= last else { throw fail("first_ls", "and 'last_ls' do not form a range (\(first)–\(last))") }
        return LumisectionRange(unchecked: first, last)
    }

    func datasetKey() throws(CertificationError) -> DatasetKey {
        DatasetKey(run: try int("run_number"), name: try string("dataset_name"))
    }

    func run() throws(CertificationError) -> Int { try int("run_number") }
}
