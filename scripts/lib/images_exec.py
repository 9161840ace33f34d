"""TestImages, exec family.

The kernel's part: finding the entrypoint (PATH lookup, WORKDIR, symlinks, whiteouts and
opaque directories), the exec permission bits, a missing argv, and the ELF's architecture.
"""

from images_base import MARK, binary, config, busybox_base, app, image


@image("scratch-static", "docker", "pass", "FROM scratch with one static (musl) binary")
def _():
    return [app("COPY hello /hello").copy("hello", binary("hello-static"))], \
        config(entrypoint=["/hello"], env=())


@image("scratch-go-static", "oci", "pass",
       "Go binary built with CGO_ENABLED=0 (static) in scratch; HEALTHCHECK runs a curl that "
       "scratch does not have")
def _():
    return [app("COPY server /server", "zstd").copy("server", binary("gohello-static"))], \
        config(entrypoint=["/server"], env=(),
               healthcheck=("CMD", ["/usr/bin/curl", "-fsS", "http://localhost:8080/healthz"]))


@image("path-lookup-bare-name", "docker", "pass",
       "ENTRYPOINT [\"hello\"]: a bare name found through the config's PATH")
def _():
    l = app("COPY hello /opt/tools/bin/hello").copy("opt/tools/bin/hello", binary("hello-static"))
    return [l], config(entrypoint=["hello"], env=("PATH=/opt/tools/bin:/usr/bin:/bin",))


@image("relative-entrypoint-workdir", "docker25", "pass",
       "ENTRYPOINT [\"./server\"] resolved against WORKDIR /srv; layer entries ./-prefixed")
def _():
    l = app("WORKDIR /srv; COPY server", "plain", prefix="./").copy("srv/server", binary("hello-static"))
    return [l], config(entrypoint=["./server"], workdir="/srv")


@image("workdir-missing-created", "oci", "pass",
       "WORKDIR /data that no layer holds: the runtime creates it, not an error")
def _():
    l = app("COPY hello", "plain").copy("usr/local/bin/hello", binary("hello-static"))
    return [l], config(entrypoint=["/usr/local/bin/hello"], workdir="/data")


@image("entrypoint-symlink-chain", "oci", "pass",
       "/usr/local/bin/server -> ../../../../../opt/app/current/server (.. clamped at /), "
       "/opt/app/current -> /opt/app/v2 (absolute, re-rooted) in another layer")
def _():
    l1 = app("COPY server /opt/app/v2/", "gzip").copy("opt/app/v2/server", binary("hello-static"))
    l2 = (app("ln -s", "plain")
          .symlink("opt/app/current", "/opt/app/v2")
          .symlink("usr/local/bin/server", "../../../../../opt/app/current/server"))
    return [l1, l2], config(entrypoint=["/usr/local/bin/server"])


@image("arm64-busybox", "oci", "pass",
       "linux/arm64 image (config architecture arm64) of arm64 busybox: starts on its own "
       "platform", arch="arm64")
def _():
    return [busybox_base("zstd", "arm64")], config(cmd=["sh", "-c", f"echo {MARK}"])


@image("no-entrypoint", "docker", "fail:no-entrypoint",
       "no ENTRYPOINT and no CMD (null in the config, as Docker writes them)")
def _():
    return [app("COPY hello").copy("hello", binary("hello-static"))], \
        config(explicit_nulls=True)


@image("entrypoint-missing", "oci", "fail:entrypoint-not-found",
       "ENTRYPOINT /app/server, but the file was copied to /app/srv")
def _():
    return [app("COPY srv /app/srv", "plain").copy("app/srv", binary("hello-static"))], \
        config(entrypoint=["/app/server"])


@image("path-lookup-not-found", "docker", "fail:entrypoint-not-found",
       "ENTRYPOINT [\"server\"]: the binary is in /usr/local/bin, which the config's PATH lacks")
def _():
    l = app("COPY server").copy("usr/local/bin/server", binary("hello-static"))
    return [l], config(entrypoint=["server"], env=("PATH=/usr/sbin:/usr/bin:/sbin:/bin",))


@image("relative-entrypoint-no-workdir", "oci", "fail:entrypoint-not-found",
       "ENTRYPOINT [\"./server\"] with no WORKDIR: resolved against /, but the file is /app/server")
def _():
    return [app("COPY server /app/", "gzip").copy("app/server", binary("hello-static"))], \
        config(entrypoint=["./server"])


@image("entrypoint-symlink-loop", "docker25", "fail:entrypoint-not-found",
       "/app/server -> /app/server.real -> /app/server: a symlink loop (ELOOP)")
def _():
    l = (app("ln -s", "plain")
         .symlink("app/server", "/app/server.real")
         .symlink("app/server.real", "server"))
    return [l], config(entrypoint=["/app/server"])


@image("shell-form-no-sh", "docker25", "fail:entrypoint-not-found",
       "shell-form CMD (/bin/sh -c ...) in a scratch image: there is no /bin/sh")
def _():
    return [app("COPY hello", "plain").copy("hello", binary("hello-static"))], \
        config(cmd=["/bin/sh", "-c", "/hello"], env=())


@image("entrypoint-whiteout", "oci", "fail:entrypoint-not-found",
       "/usr/local/bin/server -> /opt/server/server (layer 1); `RUN rm -rf /opt/server` "
       "(whiteout, layer 2) leaves the symlink dangling")
def _():
    l1 = (app("COPY server; ln -s", "gzip")
          .copy("opt/server/server", binary("hello-static"))
          .symlink("usr/local/bin/server", "/opt/server/server"))
    l2 = app("RUN rm -rf /opt/server", "gzip").whiteout("opt/server")
    return [l1, l2], config(entrypoint=["/usr/local/bin/server"])


@image("entrypoint-opaque-dir", "oci", "fail:entrypoint-not-found",
       "/app/server in layer 1; layer 2 replaces /app (opaque directory) with only a config "
       "file")
def _():
    l1 = app("COPY server /app/", "zstd").copy("app/server", binary("hello-static"))
    l2 = app("RUN rm -rf /app && mkdir /app && echo > /app/config", "zstd") \
        .opaque("app").file("app/config.yaml", "port: 8080\n")
    return [l1, l2], config(entrypoint=["/app/server"])


@image("no-exec-bit", "docker", "fail:not-executable",
       "the entrypoint is a regular file with mode 0644")
def _():
    return [app("COPY server").copy("app/server", binary("hello-static"), mode=0o644)], \
        config(entrypoint=["/app/server"])


@image("exec-bit-owner-only", "oci", "fail:not-executable",
       "mode 0700 owned by root, USER 1000: the kernel refuses (EACCES)")
def _():
    l = app("COPY --chmod=0700 server", "gzip").copy("app/server", binary("hello-static"), mode=0o700)
    return [l], config(entrypoint=["/app/server"], user="1000:1000")


@image("entrypoint-is-directory", "docker25", "fail:not-executable",
       "ENTRYPOINT /app where /app is a directory")
def _():
    return [app("COPY server /app/", "plain").copy("app/server", binary("hello-static"))], \
        config(entrypoint=["/app"])


@image("wrong-arch-amd64-config", "oci", "fail:wrong-architecture",
       "config says linux/amd64 but /bin/busybox is the arm64 build (a COPY from the wrong stage)")
def _():
    return [busybox_base("zstd", "arm64")], config(entrypoint=["/bin/busybox", "echo", MARK])
