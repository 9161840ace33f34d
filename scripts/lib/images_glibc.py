"""TestImages, glibc family.

glibc's loader: Debian and distroless bases, ld.so.cache (fresh, stale, whiteout),
DT_RUNPATH, symbol versions, bind-now symbols, LD_LIBRARY_PATH, glibc programs in scratch.
"""

from images_base import (DEFAULT_PATH, MULTIARCH, binary, config, dash_layer, app, with_cache,
                         glibc_stack, image)


@image("debian-slim-shell-form", "oci", "pass",
       "Debian-slim-like (usrmerge, dash): shell-form CMD through /bin/sh, the glibc loader "
       "reached through /lib64 -> usr/lib64 (layer 1) and an absolute symlink into /lib -> usr/lib "
       "(layer 2); HEALTHCHECK CMD-SHELL")
def _():
    layers = glibc_stack("zstd")
    layers.append(dash_layer("gzip"))
    layers.append(app("COPY hello /usr/local/bin/hello").copy("usr/local/bin/hello", binary("hello-glibc")))
    return layers, config(cmd=["/bin/sh", "-c", "hello"], healthcheck=("CMD-SHELL", "hello"))


@image("distroless-ldcache-fresh", "oci", "pass",
       "distroless/base-like (glibc, no shell, /var/lib/dpkg/status.d, not usrmerged), USER "
       "nonroot by name; libfoo in /opt/app/lib, listed in /etc/ld.so.conf.d/app.conf, and "
       "ldconfig was run: glibc finds it through /etc/ld.so.cache")
def _():
    layers = glibc_stack("zstd", usrmerge=False, distroless=True)
    top = (app("COPY app; RUN ldconfig", "gzip")
           .copy("opt/app/bin/app", binary("usefoo-glibc"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-glibc.so.1"))
           .file("etc/ld.so.conf.d/app.conf", "/opt/app/lib\n"))
    return with_cache(layers + [top], top), \
        config(entrypoint=["/opt/app/bin/app"], user="nonroot", workdir="/home/nonroot")


@image("distroless-go-cgo", "oci", "pass",
       "Go binary built with cgo (os/user -> glibc) on a distroless/base-like image: the "
       "glibc loader is there, so it starts; its HEALTHCHECK CMD-SHELL needs the /bin/sh that "
       "distroless lacks")
def _():
    layers = glibc_stack("zstd", usrmerge=False, distroless=True)
    layers.append(app("COPY server /server", "gzip").copy("server", binary("gohello-cgo")))
    return layers, config(entrypoint=["/server"], user="65532:65532",
                          healthcheck=("CMD-SHELL", "/server"))


@image("glibc-in-scratch", "docker25", "fail:missing-interpreter",
       "seed case: a glibc-linked program in FROM scratch: exec says `no such file or directory` "
       "for a file that is there (its loader /lib64/ld-linux-x86-64.so.2 is not)")
def _():
    return [app("COPY server /server", "plain").copy("server", binary("hello-glibc"))], \
        config(entrypoint=["/server"], env=())


@image("glibc-missing-library-whiteout", "oci", "fail:missing-library",
       "libfoo.so.1 installed in /usr/lib/x86_64-linux-gnu with ldconfig (layer 3), deleted by a "
       "whiteout in layer 4: the ld.so.cache still lists it")
def _():
    layers = glibc_stack("zstd")
    l3 = (app("COPY libfoo; RUN ldconfig", "zstd")
          .copy(f"usr/lib/{MULTIARCH}/libfoo.so.1", binary("libfoo-glibc.so.1"))
          .copy("usr/local/bin/app", binary("usefoo-glibc")))
    with_cache(layers + [l3], l3)
    l4 = app("RUN rm /usr/lib/x86_64-linux-gnu/libfoo.so.1", "zstd").whiteout(f"usr/lib/{MULTIARCH}/libfoo.so.1")
    return layers + [l3, l4], config(entrypoint=["/usr/local/bin/app"])


@image("glibc-ldcache-stale", "oci", "fail:missing-library",
       "libfoo in /opt/app/lib, listed in /etc/ld.so.conf.d/app.conf, but ldconfig was not run: "
       "glibc reads only the cache, never ld.so.conf")
def _():
    layers = glibc_stack("zstd")
    top = (app("COPY app (no ldconfig)", "gzip")
           .copy("opt/app/bin/app", binary("usefoo-glibc"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-glibc.so.1"))
           .file("etc/ld.so.conf.d/app.conf", "/opt/app/lib\n"))
    return layers + [top], config(entrypoint=["/opt/app/bin/app"])


@image("glibc-runpath-not-inherited", "oci", "fail:missing-library",
       "glibc program with RUNPATH $ORIGIN/../lib finds libfoo there; libfoo needs libbar (same "
       "directory) but DT_RUNPATH applies only to the object that has it")
def _():
    layers = glibc_stack("zstd")
    top = (app("COPY app", "zstd")
           .copy("opt/app/bin/app", binary("usefoo-glibc-runpath-origin-bar"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-needsbar-glibc.so.1"))
           .copy("opt/app/lib/libbar.so.1", binary("libbar-glibc.so.1")))
    return layers + [top], config(entrypoint=["/opt/app/bin/app"])


@image("glibc-too-old", "oci", "fail:missing-symbol-version",
       "a program built on bookworm (needs GLIBC_2.34) on a distroless/base-debian11-like image "
       "(bullseye's glibc 2.31)")
def _():
    layers = glibc_stack("zstd", suite="bullseye", usrmerge=False, distroless=True)
    layers.append(app("COPY server", "zstd").copy("server", binary("hello-glibc")))
    return layers, config(entrypoint=["/server"], user="nonroot")


@image("glibc-bindnow-missing-symbol", "oci", "fail:missing-symbol",
       "built -z now against libfoo v2 (foo_v2), the image has libfoo v1 (in /opt/app/lib, found "
       "through LD_LIBRARY_PATH from the config's Env): glibc binds at start and stops with "
       "`undefined symbol: foo_v2`")
def _():
    layers = glibc_stack("zstd")
    top = (app("COPY app libfoo", "zstd")
           .copy("usr/local/bin/app", binary("usefoo2-glibc-now"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-glibc.so.1")))
    return layers + [top], config(entrypoint=["app"], env=(DEFAULT_PATH, "LD_LIBRARY_PATH=/opt/app/lib"))
