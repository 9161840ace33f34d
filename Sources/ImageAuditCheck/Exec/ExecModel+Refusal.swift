import ImageAuditFS

/// ELF files the kernel accepts by their header and machine but cannot run (``KernelELFRules``).
extension ExecModel {
    func kernelRefused(_ path: String, _ refusal: KernelRefusal, chain: [String]) -> Report {
        let problem = StartProblem.kernelRefused(path: path, refusal: refusal)
        let chain = chain + ["\(path): \(refusal.why)"]
        switch refusal.outcome {
        case .execFormatError:
            return fail(problem, .ENOEXEC, chain + ["execve fails with ENOEXEC"])
        case .inputOutputError:
            return fail(problem, .EIO, chain + ["the kernel's read of PT_INTERP comes up short: execve fails with EIO"])
        case .readsZeros:
            let failure = StartFailure(
                problem: problem, message: "", chain: chain + ["the missing bytes read as zeros: it may crash"],
                stopsStart: false)
            return Report(reached: path, failures: [failure], chain: chain)
        case .segmentationFault, .busError:
            let signal = refusal.outcome == .segmentationFault ? "SIGSEGV" : "SIGBUS"
            let failure = StartFailure(
                problem: problem, message: "no output; killed by \(signal) (exit status \(refusal.exitStatus ?? 139))",
                chain: chain + ["execve succeeds; the process is killed by \(signal) before its program runs"])
            return Report(reached: nil, failures: [failure], chain: failure.chain)
        }
    }
}

extension Diagnosis {
    /// Code, cause and fixes for a file the kernel cannot run.
    func kernelRefused(_ path: String, _ refusal: KernelRefusal) -> (FindingCode, String, String, [String]) {
        let outcome =
            switch refusal.outcome {
            case .execFormatError: "so execve fails with ENOEXEC"
            case .inputOutputError: "so the kernel's read of it comes up short and execve fails with EIO"
            case .segmentationFault: "so the process is killed by SIGSEGV before it does anything (exit status 139)"
            case .busError: "so the process is killed by SIGBUS when it touches the missing bytes (exit status 135)"
            case .readsZeros: "so they read as zeros once mapped: it may start and crash, or misbehave"
            }
        let cause = "\(path) is \(refusal.why), \(outcome)"
        switch refusal.kind {
        case .malformed:
            return (
                .execFormatError, path, cause,
                [
                    "rebuild \(path), or copy it again from where it was built: the file was damaged after linking",
                    "check it with readelf -h -l \(path)",
                ]
            )
        case .truncated:
            return (
                .truncatedBinary, path, cause,
                [
                    "copy the complete file again (compare its size and sha256sum with the original)",
                    "if the Dockerfile downloads it, make a failed download fail the build: curl -fsSL … && sha256sum -c",
                ]
            )
        case .notAProgram where refusal.why.contains("debug-info"):
            return (
                .notAProgram, path, cause,
                [
                    "COPY the program itself, not its separate debug file"
                        + " (objcopy --only-keep-debug keeps only the debug sections)"
                ]
            )
        case .notAProgram:
            return (
                .notAProgram, path, cause,
                [
                    "point the entrypoint at the program that uses this library",
                    "if \(path) is meant to be a program, link it as one"
                        + " (without -shared; -pie for a position-independent one)",
                ]
            )
        }
    }
}
