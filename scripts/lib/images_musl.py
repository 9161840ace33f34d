"""TestImages, musl family.

musl's loader: Alpine-like and scratch bases, /etc/ld-musl-x86_64.path, RUNPATH inheritance,
LD_LIBRARY_PATH, dangling loader symlinks, glibc programs on musl (gcompat, cgo).
"""

from images_base import DEFAULT_PATH, alpine_base, app, binary, config, image, scratch_musl_base


@image("alpine-musl-app", "oci", "pass",
       "Alpine-like (busybox, musl loader, /etc/alpine-release): a musl-linked program, USER app "
       "added to /etc/passwd in a later layer, HEALTHCHECK CMD (exec form)")
def _():
    base = alpine_base("zstd")
    top = (app("RUN adduser app; COPY hello", "gzip")
           .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"
                               "app:x:1000:1000:Linux User,,,:/home/app:/bin/sh\n")
           .file("etc/group", "root:x:0:root\nnobody:x:65534:\napp:x:1000:app\n")
           .dir("home/app", 0o755, 1000, 1000)
           .copy("usr/local/bin/hello", binary("hello-musl")))
    return [base, top], config(entrypoint=["/usr/local/bin/hello"], user="app", workdir="/home/app",
                               healthcheck=("CMD", ["/usr/local/bin/hello"]))


@image("musl-path-file", "oci", "pass",
       "musl program needing libfoo in /opt/app/lib, found through /etc/ld-musl-x86_64.path")
def _():
    top = (app("COPY app; path file", "zstd")
           .copy("usr/local/bin/app", binary("usefoo-musl"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-musl.so.1"))
           .file("etc/ld-musl-x86_64.path", "/lib\n/usr/local/lib\n/usr/lib\n/opt/app/lib\n"))
    return [scratch_musl_base("zstd"), top], config(entrypoint=["/usr/local/bin/app"])


@image("musl-runpath-inherited", "oci", "pass",
       "musl program with RUNPATH $ORIGIN/../lib finds libfoo in /opt/app/lib; libfoo needs libbar "
       "(also there): musl searches the executable's RUNPATH for libfoo's dependency too")
def _():
    top = (app("COPY app", "gzip")
           .copy("opt/app/bin/app", binary("usefoo-musl-runpath-origin-bar"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-needsbar-musl.so.1"))
           .copy("opt/app/lib/libbar.so.1", binary("libbar-musl.so.1")))
    return [scratch_musl_base("zstd"), top], config(entrypoint=["/opt/app/bin/app"])


@image("musl-ld-library-path", "kaniko", "pass",
       "musl program, libfoo in /opt/app/lib, LD_LIBRARY_PATH=/opt/app/lib in the config's Env")
def _():
    top = (app("COPY app")
           .copy("usr/local/bin/app", binary("usefoo-musl"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-musl.so.1")))
    return [scratch_musl_base("gzip"), top], \
        config(entrypoint=["app"], env=(DEFAULT_PATH, "LD_LIBRARY_PATH=/opt/app/lib"))


@image("alpine-go-cgo", "oci", "fail:missing-interpreter",
       "seed case: a Go binary built with cgo (os/user; CGO_ENABLED=1) copied into an "
       "Alpine-like image: it needs the glibc loader, Alpine has musl's")
def _():
    top = app("COPY --from=build /out/server /usr/local/bin/server", "zstd") \
        .copy("usr/local/bin/server", binary("gohello-cgo"))
    return [alpine_base("zstd"), top], config(entrypoint=["/usr/local/bin/server"])


@image("musl-loader-dangling", "oci", "fail:missing-interpreter",
       "Debian-layout musl: /lib/ld-musl-x86_64.so.1 -> x86_64-linux-musl/libc.so, and a later "
       "layer deletes /lib/x86_64-linux-musl (whiteout): the loader symlink dangles")
def _():
    top = app("RUN rm -rf /lib/x86_64-linux-musl", "zstd").whiteout("lib/x86_64-linux-musl")
    hello = app("COPY hello", "zstd").copy("usr/local/bin/hello", binary("hello-musl"))
    return [scratch_musl_base("zstd", debian_layout=True), hello, top], \
        config(entrypoint=["/usr/local/bin/hello"])


@image("alpine-gcompat-relocating", "oci", "fail:missing-symbol",
       "glibc program (built with _FORTIFY_SOURCE) on Alpine-like with a libc6-compat-style "
       "/lib64/ld-linux-x86-64.so.2 -> musl loader: musl cannot bind __printf_chk")
def _():
    compat = app("apk add libc6-compat", "gzip").symlink("lib64/ld-linux-x86-64.so.2", "/lib/ld-musl-x86_64.so.1")
    top = app("COPY app", "gzip").copy("usr/local/bin/app", binary("fortify-glibc"))
    return [alpine_base("zstd"), compat, top], config(entrypoint=["/usr/local/bin/app"])


@image("musl-missing-library", "oci", "fail:missing-library",
       "musl program that needs libfoo.so.1, which the image does not have")
def _():
    top = app("COPY app", "gzip").copy("usr/local/bin/app", binary("usefoo-musl"))
    return [scratch_musl_base("gzip"), top], config(entrypoint=["/usr/local/bin/app"])


@image("musl-path-file-replaces-default", "oci", "fail:missing-library",
       "libfoo in /usr/lib (a musl default directory), but /etc/ld-musl-x86_64.path lists only "
       "/opt/lib: the path file replaces the defaults")
def _():
    top = (app("COPY app libfoo; path file", "zstd")
           .copy("usr/local/bin/app", binary("usefoo-musl"))
           .copy("usr/lib/libfoo.so.1", binary("libfoo-musl.so.1"))
           .file("etc/ld-musl-x86_64.path", "/opt/lib\n"))
    return [scratch_musl_base("zstd"), top], config(entrypoint=["/usr/local/bin/app"])
