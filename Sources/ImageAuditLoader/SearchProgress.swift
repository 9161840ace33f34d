import ImageAuditELF
import ImageAuditFS

/// What a library search has met so far.
struct SearchProgress {
    /// An accepted file.
    struct Found {
        let path: String
        let opened: ImageFiles.Opened
        let file: ELFFile
        let rule: SearchRule
    }

    var steps: [SearchStep] = []
    var found: Found?
    /// A file that stops the load: its path and the loader's reason.
    var fatal: (path: String, reason: String)?
    /// glibc: a file of the other class was skipped.
    var foundOtherClass = false
    /// The errno of the last failed open (what "cannot open shared object file" reports).
    var lastErrno = Errno.ENOENT

    var isDone: Bool { found != nil || fatal != nil }

    /// Opens one candidate and lets the loader's `check` judge it: a failed open is skipped with
    /// its errno, an accepted file ends the search, an unusable one stops the load, a file of
    /// the other class is remembered (glibc's "wrong ELF class" message).
    mutating func attempt(
        _ path: String, rule: SearchRule, files: ImageFiles, check: (ImageFiles.Opened) -> CandidateResult
    ) -> Candidate {
        switch files.open(path) {
        case .failure(let errno):
            lastErrno = errno
            return Candidate(path: path, result: .unavailable(errno: errno.rawValue))
        case .success(let opened):
            let result = check(opened)
            switch result {
            case .accepted:
                if let file = opened.elf { found = Found(path: path, opened: opened, file: file, rule: rule) }
            case .unusable(let reason):
                fatal = (path, reason)
            case .wrongClass:
                foundOtherClass = true
                lastErrno = Errno.ENOENT
            case .wrongMachine, .unknownContent, .skippedNoDefaultLibraries, .unavailable:
                lastErrno = Errno.ENOENT
            }
            return Candidate(path: path, result: result)
        }
    }

    /// One-line account of the places searched, for problem details.
    var summary: String {
        let places = steps.map { "\($0.location) (\($0.rule))" }
        return places.isEmpty ? "nothing was searched" : "searched " + places.joined(separator: ", ")
    }
}
