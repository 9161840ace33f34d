/// The dependency tree of one ELF file inside an image (`imageaudit tree`): every library the
/// loader would load, where it was found and by which rule, and for each failure every place
/// searched and why each candidate was passed over. JSON shape: docs/tree.md.
public struct LibraryTree: Sendable, Hashable, Codable {
    /// The path asked for, as given.
    public var path: String
    /// Where it leads in the image, symlinks resolved.
    public var resolvedPath: String
    /// "ELF 64-bit LSB x86-64", as `file` would say it.
    public var file: String
    /// `dynamic`, `static`, `static-pie` or `shared-object`.
    public var linkage: String
    /// `glibc`, `musl`, or `none` (nothing to load: a static file).
    public var loader: String
    public var interpreter: Interpreter?
    /// What the loader reads from the container's start: `LD_LIBRARY_PATH`, user, directory.
    public var context: Context
    /// Whether the loader would get the file running (`main` for a program).
    public var wouldLoad: Bool
    /// The file's `DT_NEEDED` entries, in order, each with its own below it.
    public var dependencies: [Node]
    /// What stops the load, then warnings, in the order the loader meets them.
    public var problems: [Problem]
    /// Remarks: an assumption made, something that could not be read.
    public var notes: [String]

    /// The program interpreter (dynamic loader).
    public struct Interpreter: Sendable, Hashable, Codable {
        public var path: String
        public var resolvedPath: String?
        /// `PT_INTERP`, or `image loader` for a shared library (it has no `PT_INTERP`; the
        /// image's loader for its platform loads it, as `ld.so FILE` does).
        public var source: String
        /// The glibc release read from the loader (`2.36`).
        public var glibcVersion: String?
        /// glibc's built-in search directories, read from the loader (or assumed).
        public var defaultDirectories: [String]?
    }

    public struct Context: Sendable, Hashable, Codable {
        public var libraryPath: String?
        public var user: String
        public var workingDirectory: String
    }

    /// One `DT_NEEDED` entry and what became of it.
    public struct Node: Sendable, Hashable, Codable {
        /// The name as the object asks for it (glibc: with `$ORIGIN` and friends expanded when it holds a `/`).
        public var name: String
        /// `loaded`, `reused` (an object already loaded answers), `not-found`, `failed` (a file
        /// was found that stops the load).
        public var outcome: String
        /// The path the loader opened (`l_name`), when a file answered.
        public var path: String?
        public var resolvedPath: String?
        /// How it was found; for `reused`, why the loaded object answers.
        public var rule: Rule?
        /// For `failed`: the loader's reason. For `reused`: which object answered.
        public var reason: String?
        /// Every place searched, in order (empty when reused or given as a path that opened).
        public var searched: [Step]
        /// Its own dependencies (only where it was loaded; a reused object is expanded where it was first loaded).
        public var dependencies: [Node]
    }

    /// A search rule of the loader.
    public struct Rule: Sendable, Hashable, Codable {
        /// `path`, `rpath`, `ld-library-path`, `runpath`, `ld.so.cache`, `default-directory`,
        /// `musl-path-file`, `musl-default`, `musl-itself`, `already-loaded`.
        public var kind: String
        /// The object whose RPATH/RUNPATH it is, or the musl path file.
        public var owner: String?
        /// In words: "RUNPATH of /opt/app/bin/app".
        public var text: String
    }

    /// One place searched: a directory or the cache.
    public struct Step: Sendable, Hashable, Codable {
        public var rule: Rule
        public var location: String
        public var candidates: [Candidate]
        public var note: String?
        /// In words: "/usr/lib (default directory): not there".
        public var text: String
    }

    /// One file tried.
    public struct Candidate: Sendable, Hashable, Codable {
        public var path: String
        /// `found`, `missing` (or another errno: `EACCES`, `ENOTDIR`, `ELOOP`), `wrong-class`,
        /// `wrong-machine`, `unusable`, `nodeflib`, `unknown-content`.
        public var result: String
        /// In words: "skipped: wrong ELF class ELFCLASS32".
        public var reason: String
    }

    /// Something that stops the load, or a warning.
    public struct Problem: Sendable, Hashable, Codable {
        /// `error` (the load stops), `warning`, `note`.
        public var severity: String
        /// The loader model's kind: `library-not-found`, `version-not-found`, `undefined-symbol` …
        public var kind: String
        /// The object concerned.
        public var object: String
        /// The library, version or symbol concerned.
        public var subject: String
        /// What the loader prints.
        public var message: String
        /// Why, in the audit's words.
        public var cause: String
        /// What to change, best first.
        public var fixes: [String]
    }
}

/// Why `imageaudit tree` cannot show a tree for the path: bad input (exit 2).
public enum LibraryTreeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path does not lead to a file in the image.
    case notFound(path: String, why: String)
    /// The file is not ELF (a script, a directory, data).
    case notELF(path: String, what: String)

    public var description: String {
        switch self {
        case .notFound(let path, let why): "\(path): \(why)"
        case .notELF(let path, let what): "\(path) is \(what)"
        }
    }
}
