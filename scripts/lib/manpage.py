#!/usr/bin/env python3
"""imageaudit.1 (man(7)) from the CLI's own description: `imageaudit --experimental-dump-help`.

ArgumentParser's generate-manual plugin needs the package plugin machinery and a second build;
this reads the same JSON it reads and writes a concise page: every subcommand, its arguments and
options with their help, the exit status. Usage: manpage.py BINARY VERSION SOURCE_DATE_EPOCH
"""

import datetime
import json
import subprocess
import sys


def esc(text: str) -> str:
    """Roff-safe text: backslashes, and a leading dot or quote would start a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def synopsis(arg: dict) -> str:
    names = arg.get("names") or []
    flag = ", ".join(("-" if n["kind"] == "short" else "--") + n["name"] for n in names)
    value = arg.get("valueName", "")
    if arg["kind"] == "positional":
        return f"<{value}>" + (" ..." if arg.get("isRepeating") else "")
    return flag + (f" <{value}>" if arg["kind"] == "option" else "")


def arguments(lines: list, command: dict) -> None:
    for arg in command.get("arguments", []):
        if not arg.get("shouldDisplay", True):
            continue
        lines += [".TP", "\\fB" + esc(synopsis(arg)) + "\\fR", esc(arg.get("abstract", ""))]
        if arg.get("discussion"):
            lines.append(esc(str(arg["discussion"])))
        if arg.get("defaultValue"):
            lines.append(esc(f"(default: {arg['defaultValue']})"))


def main() -> None:
    binary, version, epoch = sys.argv[1:4]
    tool = json.loads(subprocess.run([binary, "--experimental-dump-help"], check=True,
                                     stdout=subprocess.PIPE).stdout)["command"]
    date = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%d")
    lines = [f'.TH IMAGEAUDIT 1 "{date}" "imageaudit {esc(version)}" "User Commands"',
             ".SH NAME", "imageaudit \\- " + esc(tool["abstract"]),
             ".SH SYNOPSIS"]
    subs = [s for s in tool.get("subcommands", []) if s["commandName"] != "help"]
    for sub in subs:
        lines += [".PP", f"\\fBimageaudit {sub['commandName']}\\fR [options] " +
                  " ".join(esc(synopsis(a)) for a in sub.get("arguments", []) if a["kind"] == "positional")]
    lines += [".PP", "\\fBimageaudit\\fR \\fItarballs\\fR ... is \\fBimageaudit audit\\fR.",
              ".SH DESCRIPTION", esc(tool["abstract"]),
              ".SH OPTIONS", ".TP", "\\fB\\-\\-version\\fR", "Show the version and the commit it was built from.",
              ".TP", "\\fB\\-h, \\-\\-help\\fR", "Show help information."]
    for sub in subs:
        lines += [f".SH {sub['commandName'].upper()}", esc(sub.get("abstract", ""))]
        if sub.get("discussion"):
            lines += [".PP", esc(str(sub["discussion"]))]
        arguments(lines, sub)
    lines += [".SH EXIT STATUS",
              "0 every image starts; 1 some image would not (warnings only with \\-\\-strict);",
              "3 none fails but the start of some image was not judged (0 with \\-\\-allow\\-not\\-judged);",
              "2 an input could not be read; 64 usage error. The worst wins: 2, 1, 3, 0.",
              ".SH EXAMPLES", ".nf", "imageaudit my\\-api.tar", "docker save my\\-api | imageaudit \\-",
              "imageaudit \\-\\-format sarif my\\-api.tar > imageaudit.sarif", ".fi",
              ".SH SEE ALSO", "docker\\-save(1), skopeo(1)"]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
