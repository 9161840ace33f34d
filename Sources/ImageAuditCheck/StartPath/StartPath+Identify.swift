import ImageAuditFS
import ImageAuditShell

/// Which program family an exec'd file is, from the file itself: symlinks are resolved to the real
/// file, busybox is recognised as the same file as the image's `busybox`, and the applet it runs is
/// argv[0]'s name (as busybox decides).
extension StartPath {
    enum Family: Sendable, Equatable {
        /// `standalone`: busybox runs its applets without a PATH search (FEATURE_SH_STANDALONE).
        case shell(ShellDialect, posix: Bool, standalone: Bool)
        /// A file named `sh` that is neither dash, bash nor busybox: which shell is not known.
        case unknownShell(String)
        case wrapper(Wrapper)
        case interpreter(Interpreter)
        /// Anything else: the program runs; nothing after it is followed.
        case program
    }

    enum Wrapper: String, Sendable, Equatable {
        case tini
        case dumbInit = "dumb-init"
        case catatonit, gosu
        case suExec = "su-exec"
        case setpriv, env
        case busyboxEnv = "busybox env"
    }

    enum Interpreter: Sendable, Equatable {
        case python(String)
        case perl, node, java, ruby, php
    }

    func identify(_ program: String, argv0: String) -> Family {
        guard case .success(let found) = model.tree.resolve(program) else { return .program }
        let real = ImagePath.basename(PathBytes.display(found.path))
        let applet = ImagePath.basename(argv0)
        if model.isBusybox(program) {
            switch applet {
            case "sh", "ash":
                return .shell(.busyboxAsh, posix: false, standalone: busyboxStandalone(program))
            case "env": return .wrapper(.busyboxEnv)
            default: return .program
            }
        }
        switch real {
        case "dash": return .shell(.dash, posix: false, standalone: false)
        case "bash": return .shell(.bash, posix: applet == "sh", standalone: false)
        case "sh", "ash", "mksh", "ksh", "zsh":
            return .unknownShell(
                "\(PathBytes.display(found.path)) is a shell the audit cannot identify as dash, bash "
                    + "or busybox (what it runs is not followed)")
        case "tini", "tini-static", "tini-static-amd64", "tini-amd64": return .wrapper(.tini)
        case "dumb-init": return .wrapper(.dumbInit)
        case "catatonit": return .wrapper(.catatonit)
        case "gosu": return .wrapper(.gosu)
        case "su-exec": return .wrapper(.suExec)
        case "setpriv": return .wrapper(.setpriv)
        case "env": return .wrapper(.env)
        case "perl": return .interpreter(.perl)
        case "node", "nodejs": return .interpreter(.node)
        case "java": return .interpreter(.java)
        case "ruby": return .interpreter(.ruby)
        case "php": return .interpreter(.php)
        default:
            if real == "python" || real.hasPrefix("python3") || real.hasPrefix("python2") {
                return .interpreter(.python(real))
            }
            if real.hasPrefix("perl5") { return .interpreter(.perl) }
            // Debian's /usr/bin/ruby -> ruby3.1, /usr/bin/php -> /etc/alternatives/php -> php8.2.
            if Self.isVersioned(real, "ruby") { return .interpreter(.ruby) }
            if Self.isVersioned(real, "php") { return .interpreter(.php) }
            return .program
        }
    }

    /// Alpine's busybox (owned by apk's `busybox` package) searches PATH for every command; other
    /// builds (Debian's busybox-static) may run applets without a PATH search, so a name not on
    /// PATH may still be an applet there.
    private func busyboxStandalone(_ program: String) -> Bool {
        guard case .success(let found) = model.tree.resolve(program) else { return true }
        let path = PathBytes.display(found.path)
        return packages.owners[path] != "busybox" && packages.owners["/bin/busybox"] != "busybox"
    }
}
