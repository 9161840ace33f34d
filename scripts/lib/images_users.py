"""TestImages, users family.

USER: numeric ids without /etc/passwd, and names /etc/passwd or /etc/group lacks.
"""

from images_base import binary, config, passwd, group, app, image


@image("numeric-user-no-passwd", "oci", "pass",
       "USER 1234:1234 with no /etc/passwd at all: numeric ids always work")
def _():
    l = app("COPY hello", "gzip").copy("hello", binary("hello-static"))
    return [l], config(entrypoint=["/hello"], user="1234:1234", env=())


@image("unknown-user", "kaniko", "fail:unknown-user",
       "USER appuser, which /etc/passwd does not have (the useradd was forgotten)")
def _():
    l = (app("COPY server", "gzip").copy("app/server", binary("hello-static"))
         .file("etc/passwd", passwd()).file("etc/group", group()))
    return [l], config(entrypoint=["/app/server"], user="appuser")


@image("unknown-group", "docker", "fail:unknown-user",
       "USER root:docker: the user exists, the group does not")
def _():
    l = (app("COPY server").copy("app/server", binary("hello-static"))
         .file("etc/passwd", passwd()).file("etc/group", group()))
    return [l], config(entrypoint=["/app/server"], user="root:docker")
