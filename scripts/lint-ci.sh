#!/usr/bin/env bash
# Lints the CI integrations: action.yml against SchemaStore's github-action schema and
# ci/gitlab/imageaudit.yml against the gitlab-ci schema (both vendored by check-jsonschema, from
# PyPI: actionlint is in neither Debian 12 nor PyPI as a wheel that installs offline), then every
# `run:` script of the Action and the template's script through shellcheck, with ${{ ... }} replaced by a plain word.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v check-jsonschema >/dev/null; then
  pip=(python3 -m pip install --quiet --disable-pip-version-check check-jsonschema)
  "${pip[@]}" 2>/dev/null || "${pip[@]}" --break-system-packages
fi
check-jsonschema --builtin-schema vendor.github-actions action.yml
check-jsonschema --builtin-schema vendor.gitlab-ci ci/gitlab/imageaudit.yml
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - action.yml "$work" <<'PY'
import re, sys
from ruamel.yaml import YAML  # check-jsonschema's own YAML library
load = YAML(typ="safe").load
action = load(open(sys.argv[1]))
for i, step in enumerate(action["runs"]["steps"]):
    if "run" in step:
        body = re.sub(r"\$\{\{[^}]*\}\}", "GITHUB_EXPRESSION", step["run"])
        open(f"{sys.argv[2]}/step{i}.sh", "w").write("#!/usr/bin/env bash\n" + body)
# GitLab runs the script lines one after another in one sh; IA_ARGS is split on purpose.
gitlab = load(open("ci/gitlab/imageaudit.yml"))
lines = "\n".join(gitlab[".imageaudit"]["script"])
open(f"{sys.argv[2]}/gitlab.sh", "w").write("#!/bin/sh\n# shellcheck disable=SC2086\n" + lines + "\n")
PY
shellcheck "$work"/step*.sh "$work"/gitlab.sh
echo "action.yml and ci/gitlab/imageaudit.yml: ok"
