"""TestImages, verdict family: starts the audit cannot judge statically (verdict not-judged).

Shell-form commands whose program is read at run time (`read -r APP < FILE; exec $APP`): dash
runs what the file says, which no static model of the config follows. The oracle judges them
like every image; the audit says not-judged (exit status 3), never pass, and never claims a
failure it cannot see (docs/exit-codes.md, AuditOracleTests lists both).
"""

from images_base import binary, config, app, image
from images_startpath import slim

COMMAND = ["/bin/sh", "-c", "read -r APP < /app/command; exec $APP"]


@image("shell-read-command", "oci", "pass",
       "Debian-slim-like dash: CMD sh -c 'read -r APP < /app/command; exec $APP' and /app/command "
       "names /app/server, which exists: it starts, but the audit cannot know the command (not-judged)")
def _():
    l = (app("COPY command server /app/")
         .file("app/command", "/app/server\n", 0o644)
         .copy("app/server", binary("hello-glibc")))
    return slim() + [l], config(cmd=COMMAND)


@image("shell-read-command-missing", "oci", "fail:command-not-found",
       "the same, but /app/command names /app/missing: dash says exec: /app/missing: not found and "
       "exits 127; the audit cannot see it and says not-judged (exit 3), not pass")
def _():
    l = app("COPY command /app/").file("app/command", "/app/missing\n", 0o644)
    return slim() + [l], config(cmd=COMMAND)
