/// Stand-ins for the C libraries of an image, built with ``ELFBuilder``: the symbols and versions
/// the fixtures use, no code. Versions follow glibc's real history, so "libc.so.6 provides up to
/// GLIBC_2.31" scenarios can be built.
public enum FakeLibraries {
    /// glibc's `GLIBC_*` versions on x86-64, oldest first (as in libc.so.6's DT_VERDEF).
    public static let glibcVersions = [
        "2.2.5", "2.2.6", "2.3", "2.3.2", "2.3.3", "2.3.4", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11",
        "2.12", "2.13", "2.14", "2.15", "2.16", "2.17", "2.18", "2.22", "2.23", "2.24", "2.25", "2.26", "2.27", "2.28",
        "2.29", "2.30", "2.31", "2.32", "2.33", "2.34", "2.35", "2.36", "2.38", "2.39",
    ]

    /// libc.so.6 symbols the fixtures use, with the version each got its current definition in.
    static let libcSymbols: [(String, String, UInt8)] = [
        ("__libc_start_main", "2.34", 2), ("puts", "2.2.5", 2), ("__cxa_finalize", "2.2.5", 2), ("printf", "2.2.5", 2),
        ("malloc", "2.2.5", 2), ("free", "2.2.5", 2), ("abort", "2.2.5", 2), ("fwrite", "2.2.5", 2),
        ("fputc", "2.2.5", 2),
        ("fprintf", "2.2.5", 2), ("vfprintf", "2.2.5", 2), ("stderr", "2.2.5", 1), ("stdin", "2.2.5", 1),
        ("strerror", "2.2.5", 2), ("__errno_location", "2.2.5", 2), ("mmap", "2.2.5", 2), ("munmap", "2.2.5", 2),
        ("nanosleep", "2.2.5", 2), ("setenv", "2.2.5", 2), ("unsetenv", "2.2.5", 2), ("sigaction", "2.2.5", 2),
        ("sigemptyset", "2.2.5", 2), ("sigfillset", "2.2.5", 2), ("sigaddset", "2.2.5", 2), ("sigismember", "2.2.5", 2),
        ("pthread_mutex_lock", "2.2.5", 2), ("pthread_mutex_unlock", "2.2.5", 2), ("pthread_attr_init", "2.2.5", 2),
        ("pthread_attr_destroy", "2.2.5", 2), ("pthread_cond_wait", "2.3.2", 2), ("pthread_cond_broadcast", "2.3.2", 2),
        ("pthread_sigmask", "2.32", 2), ("pthread_create", "2.34", 2), ("pthread_detach", "2.34", 2),
        ("pthread_attr_getstacksize", "2.34", 2), ("setuid", "2.2.5", 2), ("setgid", "2.2.5", 2),
        ("seteuid", "2.2.5", 2),
        ("setegid", "2.2.5", 2), ("setreuid", "2.2.5", 2), ("setregid", "2.2.5", 2), ("setresuid", "2.2.5", 2),
        ("setresgid", "2.2.5", 2), ("setgroups", "2.2.5", 2),
    ]

    static func versions(upTo version: String) -> [String] {
        let last = glibcVersions.firstIndex(of: version) ?? glibcVersions.count - 1
        return glibcVersions[...last].map { "GLIBC_\($0)" }
    }

    /// `libc.so.6` of glibc `version`: defines `GLIBC_2.2.5` … `GLIBC_<version>`, and each symbol
    /// whose version is not newer.
    public static func glibcLibc(version: String = "2.36") -> [UInt8] {
        let defined = versions(upTo: version)
        var builder = ELFBuilder()
        builder.soname = "libc.so.6"
        builder.needed = ["ld-linux-x86-64.so.2"]
        builder.interpreter = "/lib64/ld-linux-x86-64.so.2"
        builder.versionDefinitions = defined + ["GLIBC_PRIVATE"]
        builder.versionNeeds = [("ld-linux-x86-64.so.2", ["GLIBC_2.2.5", "GLIBC_PRIVATE"])]
        builder.symbols = libcSymbols.compactMap { name, version, type in
            defined.contains("GLIBC_\(version)")
                ? .init(name, defined: true, type: type, version: "GLIBC_\(version)") : nil
        }
        // Before 2.34 __libc_start_main@@GLIBC_2.2.5 is the default; from 2.34 it is a hidden compat symbol.
        builder.symbols.append(
            .init("__libc_start_main", defined: true, version: "GLIBC_2.2.5", hidden: defined.contains("GLIBC_2.34")))
        builder.symbols.append(.init("_dl_argv", defined: false, type: 1, version: "GLIBC_PRIVATE"))
        return builder.build()
    }

    /// `ld-linux-x86-64.so.2`; its bytes carry Debian's `system_dirs` and the `--version` banner,
    /// where the model reads them from.
    public static func glibcLoader(version: String = "2.36", systemDirectories: [String]? = nil) -> [UInt8] {
        var builder = ELFBuilder()
        builder.soname = "ld-linux-x86-64.so.2"
        builder.versionDefinitions = [
            "GLIBC_2.2.5", "GLIBC_2.3", "GLIBC_2.4", "GLIBC_2.34", "GLIBC_2.35", "GLIBC_PRIVATE",
        ]
        builder.symbols = [
            .init("__tls_get_addr", defined: true, version: "GLIBC_2.3"),
            .init("_dl_argv", defined: true, type: 1, version: "GLIBC_PRIVATE"),
        ]
        let directories =
            systemDirectories ?? ["/lib/x86_64-linux-gnu/", "/usr/lib/x86_64-linux-gnu/", "/lib/", "/usr/lib/"]
        var bytes = builder.build()
        bytes += [0, 0] + directories.flatMap { Array($0.utf8) + [0] } + [0]
        bytes += Array("ld.so (Test GLIBC \(version)) stable release version \(version).\0".utf8)
        return bytes
    }

    public static func glibcLibm(version: String = "2.36") -> [UInt8] {
        var builder = ELFBuilder()
        builder.soname = "libm.so.6"
        builder.needed = ["libc.so.6"]
        builder.versionDefinitions = versions(upTo: version)
        builder.symbols = [
            .init("cos", defined: true, version: "GLIBC_2.2.5"), .init("exp", defined: true, version: "GLIBC_2.29"),
        ]
        return builder.build()
    }

    /// `libstdc++.so.6` with GLIBCXX_3.4 … 3.4.`newest` and CXXABI_1.3 … 1.3.13.
    public static func libstdcxx(newest: Int = 30) -> [UInt8] {
        var builder = ELFBuilder()
        builder.soname = "libstdc++.so.6"
        builder.needed = ["libm.so.6", "libc.so.6", "ld-linux-x86-64.so.2", "libgcc_s.so.1"]
        builder.versionDefinitions =
            ["GLIBCXX_3.4"] + (1...newest).map { "GLIBCXX_3.4.\($0)" } + ["CXXABI_1.3"]
            + (1...13).map { "CXXABI_1.3.\($0)" }
        let cxxabi = [
            "__gxx_personality_v0", "__cxa_throw", "__cxa_free_exception", "__cxa_end_catch", "__cxa_begin_catch",
            "__cxa_allocate_exception",
        ]
        builder.symbols =
            cxxabi.map { .init($0, defined: true, version: "CXXABI_1.3") } + [
                .init("_ZTISt9exception", defined: true, type: 1, version: "GLIBCXX_3.4"),
                .init("_ZNSt13runtime_errorD1Ev", defined: true, version: "GLIBCXX_3.4"),
                .init(
                    "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE12_M_constructEmc", defined: true,
                    version: "GLIBCXX_3.4.21"),
                .init(
                    "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE10_M_disposeEv", defined: true,
                    version: "GLIBCXX_3.4.21"),
                .init(
                    "_ZNSt13runtime_errorC1ERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE", defined: true,
                    version: "GLIBCXX_3.4.21"),
            ]
        return builder.build()
    }

    public static func libgcc() -> [UInt8] {
        var builder = ELFBuilder()
        builder.soname = "libgcc_s.so.1"
        builder.needed = ["libc.so.6"]
        builder.versionDefinitions = ["GCC_3.0", "GCC_3.3", "GCC_4.2.0"]
        builder.symbols = [.init("_Unwind_Resume", defined: true, version: "GCC_3.0")]
        return builder.build()
    }

    /// musl's `libc.so` (also its loader): no symbol versions, no SONAME.
    public static func musl() -> [UInt8] {
        var builder = ELFBuilder()
        let names = [
            "__libc_start_main", "puts", "printf", "malloc", "free", "__cxa_finalize", "__stack_chk_fail", "exit",
        ]
        builder.symbols = names.map { .init($0, defined: true) } + [.init("stdin", defined: true, type: 1)]
        return builder.build()
    }
}
