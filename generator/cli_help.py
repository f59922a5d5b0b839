"""What `alertgen COMMAND --help` shows after the options: examples and exit codes.

Kept apart from cli.py so the commands stay short; `\\b` keeps click from rewrapping a block.
"""

from __future__ import annotations

EPILOG: dict[str, str] = {
    "main": """\
\b
Start here:
  alertgen generate            # specs/ -> output/, checked before anything is written
  alertgen check               # the checks on an existing output/ (a hand edit too)
  alertgen COMMAND --help      # examples and exit codes of each command

\b
Shell completion (bash; zsh_source, fish_source likewise):
  eval "$(_ALERTGEN_COMPLETE=bash_source alertgen)"
""",
    "generate": """\
\b
Examples:
  alertgen generate                          # specs/ -> output/
  alertgen generate --check                  # CI: is output/ what specs/ generate?
  alertgen generate --specs monitoring/specs --out monitoring/output -j 4

\b
Exit codes:
  0  written (--check: output is up to date)
  1  --check: output is out of date; the drifted files are listed
  2  spec errors (one line each, file:line), or --out is not alertgen's folder
  3  another alertgen run is writing the same output folder
  4  the consistency checks found errors; nothing written
  5  the output folder could not be written; the previous output is unchanged
  7  a worker process was killed (out of memory?); nothing written
  130  interrupted (Ctrl-C); the output is the previous tree or the new one, whole
""",
    "check": """\
\b
Examples:
  alertgen check
  alertgen check --format sarif > alertgen.sarif      # code-scanning upload
  alertgen check --prometheus http://localhost:9090   # also: series missing live

\b
Exit codes:
  0  no error (warnings are listed)
  2  spec errors
  4  a check found an error, or there is no output folder
  6  --prometheus: that Prometheus could not be queried
  7  a worker process was killed (out of memory?)
  130  interrupted (Ctrl-C)
""",
    "verify": """\
\b
Examples:
  alertgen verify                  # output/
  alertgen verify --out build/monitoring -j 8

\b
Exit codes:
  0  every tool check passed
  1  a tool check failed (one `verify:` line each)
  2  nothing to verify, or promtool/amtool missing (`make tools`)
""",
    "list": """\
\b
Examples:
  alertgen list
  alertgen list --specs monitoring/specs | grep critical

\b
Exit codes:
  0  listed
  2  spec errors
""",
    "alertmanager": """\
\b
Examples:
  alertgen alertmanager                                   # production, to stdout
  alertgen alertmanager --env staging --out /tmp/am.yml
  alertgen alertmanager --env local --webhook-url http://127.0.0.1:5001/hook

\b
Exit codes:
  0  printed or written
  2  spec errors, or a bad --env/--webhook-url combination
  5  --out could not be written; the previous file is unchanged
""",
}
