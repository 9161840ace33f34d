import ImageAuditELF

/// The kernel's ELF checks after the header and the machine (`load_elf_binary`), in its order:
/// the program header table, `PT_INTERP`, the mapping of `PT_LOAD`, then the jump to the entry.
/// Every rule was found with a real `execve` of real files, truncated or patched
/// (`KernelRefusalTests` in ImageAuditCheckTests lists each with what the kernel did).
enum KernelELFRules {
    /// `PATH_MAX`: the longest `PT_INTERP` the kernel reads.
    static let maxInterpreterLength: UInt64 = 4096

    /// Why the kernel cannot run `elf`, or nil when it maps it and jumps to code.
    static func refusal(of elf: ELFFile) -> KernelRefusal? {
        let layout = elf.execLayout
        if layout.programHeaderCountRefused {
            return KernelRefusal(
                kind: .malformed, outcome: .execFormatError,
                why: "an ELF file whose program header count (e_phnum \(layout.programHeaderCount)) the kernel refuses")
        }
        if let interpreter = layout.interpreter,
            let refusal = refusal(interpreter, debugInfo: layout.codeHasNoFileBytes)
        {
            return refusal
        }
        if let cut = layout.cutSegment {
            let segment =
                "its PT_LOAD segments need \(cut.missingBytes) bytes more than the file has"
                + " (the first one cut starts at offset \(cut.offset))"
            let outcome: KernelRefusal.Outcome =
                cut.clearedByKernel ? .segmentationFault : cut.missesPages ? .busError : .readsZeros
            return KernelRefusal(kind: .truncated, outcome: outcome, why: "a truncated ELF file: \(segment)")
        }
        // With PT_INTERP the loader runs first and jumps to the entry only once it has loaded
        // every library; the entry rules are for files the kernel starts alone.
        guard layout.interpreter == nil else { return nil }
        if layout.codeHasNoFileBytes {
            return KernelRefusal(
                kind: .notAProgram, outcome: .segmentationFault,
                why: "a separate debug-info file (objcopy --only-keep-debug): its code segments hold no bytes")
        }
        switch layout.entry {
        case .code:
            return nil
        case .zero where elf.header.type == .sharedObject:
            return KernelRefusal(
                kind: .notAProgram, outcome: .segmentationFault,
                why: "a shared library, not a program: it has no entry point (e_entry 0), no PT_INTERP and is no PIE")
        case .zero, .notCode, .noFileBytes:
            let entry = "0x" + String(elf.header.entry, radix: 16)
            return KernelRefusal(
                kind: .notAProgram, outcome: .segmentationFault,
                why: "an ELF file whose entry point (\(entry)) is not in its code")
        }
    }

    /// `PT_INTERP`: 2…4096 bytes (else ENOEXEC), all in the file (else the short read is EIO),
    /// the last one NUL (else ENOEXEC).
    private static func refusal(_ interpreter: ExecLayout.Interpreter, debugInfo: Bool) -> KernelRefusal? {
        if debugInfo && interpreter.length == 0 {
            return KernelRefusal(
                kind: .notAProgram, outcome: .execFormatError,
                why: "a separate debug-info file (objcopy --only-keep-debug): its PT_INTERP and code segments"
                    + " hold no bytes")
        }
        if interpreter.length < 2 || interpreter.length > maxInterpreterLength {
            return KernelRefusal(
                kind: .malformed, outcome: .execFormatError,
                why: "an ELF file whose PT_INTERP is \(interpreter.length) bytes long (the kernel wants 2 to 4096)")
        }
        if interpreter.pastEnd {
            return KernelRefusal(
                kind: .truncated, outcome: .inputOutputError,
                why: "a truncated ELF file: its PT_INTERP segment lies past the end of the file")
        }
        if interpreter.terminated == false {
            return KernelRefusal(
                kind: .malformed, outcome: .execFormatError,
                why: "an ELF file whose PT_INTERP path does not end in a NUL byte")
        }
        return nil
    }
}
