"""TestImages, start-path family: what runs after the first exec.

Shell form with a command that is not there, an entrypoint script ending in exec "$@" (the
official images' idiom), tini given a program, and a shell given a script file; each failing and
each fixed. Built from Debian's dash and tini and the programs compiled here.
"""

from images_base import binary, config, pkg, app, glibc_stack, dash_layer, image

ENTRYPOINT_SH = """#!/bin/sh
set -e
# first arg is `-f` or `--some-option`: run the server with them
if [ "${1#-}" != "$1" ]; then
\tset -- server "$@"
fi
exec "$@"
"""


def slim(compression="zstd"):
    """Debian-slim-like: glibc and dash as /bin/sh."""
    return glibc_stack(compression) + [dash_layer("gzip")]


def tini_layer(with_program):
    l = app("COPY tini-static", "gzip").copy("usr/bin/tini", f"{pkg('bookworm-amd64-tini')}/usr/bin/tini-static")
    if with_program:
        l.copy("app/server", binary("hello-static"))
    return l


@image("shell-form-command-not-found", "oci", "fail:command-not-found",
       "shell-form CMD on Debian-slim-like dash: /bin/sh -c \"nothere --flag\"; dash prints "
       "/bin/sh: 1: nothere: not found and exits 127 (the fixed one is debian-slim-shell-form)")
def _():
    return slim(), config(cmd=["/bin/sh", "-c", "nothere --flag"])


@image("entrypoint-script-exec-missing", "oci", "fail:command-not-found",
       "docker-entrypoint.sh (#!/bin/sh, set -e, `set -- server \"$@\"`, exec \"$@\") with CMD "
       "[\"server\"], but no server in the image: dash says exec: server: not found")
def _():
    l = app("COPY docker-entrypoint.sh").file("usr/local/bin/docker-entrypoint.sh", ENTRYPOINT_SH, 0o755)
    return slim() + [l], config(entrypoint=["docker-entrypoint.sh"], cmd=["server"])


@image("entrypoint-script-exec", "oci", "pass",
       "the same docker-entrypoint.sh run through tini (ENTRYPOINT [\"tini\", \"--\", "
       "\"docker-entrypoint.sh\"]), CMD [\"--verbose\"] rewritten to server --verbose, which exists")
def _():
    l = (app("COPY docker-entrypoint.sh server tini")
         .file("usr/local/bin/docker-entrypoint.sh", ENTRYPOINT_SH, 0o755)
         .copy("usr/local/bin/server", binary("hello-glibc"))
         .copy("usr/bin/tini", f"{pkg('bookworm-amd64-tini')}/usr/bin/tini-static"))
    return slim() + [l], config(entrypoint=["tini", "--", "docker-entrypoint.sh"], cmd=["--verbose"])


@image("tini-exec-missing", "oci", "fail:command-not-found",
       "scratch with Debian's tini-static: ENTRYPOINT [\"/usr/bin/tini\", \"--\", \"/app/server\"] "
       "and no /app/server; tini prints [FATAL tini (N)] exec /app/server failed and exits 127")
def _():
    return [tini_layer(False)], config(entrypoint=["/usr/bin/tini", "--", "/app/server"], env=())


@image("tini-exec", "oci", "pass",
       "scratch with Debian's tini-static running /app/server (a static program)")
def _():
    return [tini_layer(True)], config(entrypoint=["/usr/bin/tini", "--", "/app/server"], env=())


@image("sh-script-file-missing", "oci", "fail:script-file-missing",
       "CMD [\"sh\", \"/app/start.sh\"] on Debian-slim-like dash, but the COPY put start.sh in "
       "/srv: dash says sh: 0: cannot open /app/start.sh: No such file and exits 2 (the fixed "
       "one is left out to keep TestImages under 25 MB: StartPathTests covers it)")
def _():
    l = app("COPY start.sh /srv/").file("srv/start.sh", "#!/bin/sh\nexec /usr/local/bin/hello\n", 0o755)
    return slim() + [l], config(cmd=["sh", "/app/start.sh"])
