#!/usr/bin/env bash
# Seeds test data into a local dvas emulator, checks it arrived, then runs your tests against it:
# no tenant, no secret, no network. For a pipeline step (see github-actions-offline-tests.yml) or a
# laptop.
#
#   seed-offline.sh DATA.ndjson [TABLE] [-- COMMAND ARGS...]
#
# The emulator is started in the background with `dvas emulator --port 0 --json`; its first stdout
# line (a JSON object: url, tenantId, clientId, clientSecret, users…) says where it listens and how
# to sign in. The rows are created with `dvas create TABLE --file DATA` (each row as the user its
# `@as` names), then counted back. COMMAND then runs with DVAS_URL, AZURE_TENANT_ID,
# AZURE_CLIENT_ID, DVAS_CLIENT_SECRET and DVAS_CONFIG_DIR set, so `dvas …` inside it reaches the
# emulator, and with DVAS_EMULATOR_JSON holding the whole startup line for other clients. The
# emulator stops when the script ends; the script exits with COMMAND's status.
#
# Needs bash 4.4+, Node.js and `dvas` on the PATH (npm link in a clone of dvas).
set -euo pipefail

usage() { echo "usage: seed-offline.sh DATA.ndjson [TABLE] [-- COMMAND ARGS...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
data=$1; shift
table=accounts
if [ $# -gt 0 ] && [ "$1" != "--" ]; then table=$1; shift; fi
if [ $# -gt 0 ]; then [ "$1" = "--" ] || usage; shift; fi
[ -r "$data" ] || { echo "seed-offline.sh: cannot read $data" >&2; exit 2; }

work=$(mktemp -d)
emulator_pid=
stop_emulator() {
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop_emulator EXIT

# The emulator in the background, its stdout on file descriptor 3: `read` waits for the first
# line, so no polling and no fixed sleep. `exec` makes $! the emulator itself, for the kill above.
exec 3< <(exec dvas emulator --port 0 --json 2>"$work/emulator.log")
emulator_pid=$!
if ! IFS= read -r -t 60 startup <&3; then
  echo "seed-offline.sh: the emulator did not start:" >&2
  cat "$work/emulator.log" >&2
  exit 1
fi

field() { node -e 'process.stdout.write(String(JSON.parse(process.argv[1])[process.argv[2]] ?? ""))' "$startup" "$1"; }
export DVAS_EMULATOR_JSON=$startup
export DVAS_URL; DVAS_URL=$(field url)
export AZURE_TENANT_ID; AZURE_TENANT_ID=$(field tenantId)
export AZURE_CLIENT_ID; AZURE_CLIENT_ID=$(field clientId)
export DVAS_CLIENT_SECRET; DVAS_CLIENT_SECRET=$(field clientSecret)
# A config directory of its own: the token cache of this run never mixes with the person's.
export DVAS_CONFIG_DIR=$work/config
export NO_COLOR=1
echo "seed-offline.sh: emulator at $DVAS_URL" >&2

# The summary object (rows created and failed, per user) on stdout; every row's fate in the report.
dvas create "$table" --file "$data" --report "$work/seed-report.ndjson" -o json

# Counted back: every row of the file is in the table, under the id the report gives it. One
# query of the table's ids (the organisation has rows of its own), compared with the report's.
expected=$(grep -c '[^[:space:]]' "$data")
primary_id=$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]).primaryId)' "$work/seed-report.ndjson")
dvas get "$table" --select "$primary_id" --all -o ndjson > "$work/ids.ndjson"
found=$(node -e '
  const [report, ids, key] = process.argv.slice(1);
  const read = (file) => require("fs").readFileSync(file, "utf8").split("\n").filter(Boolean).map(JSON.parse);
  const inTable = new Set(read(ids).map((row) => row[key]));
  const done = read(report).filter((line) => line.status === "created" || line.status === "existed");
  process.stdout.write(String(new Set(done.map((line) => line.id).filter((id) => inTable.has(id))).size));' \
  "$work/seed-report.ndjson" "$work/ids.ndjson" "$primary_id")
if [ "$found" -ne "$expected" ]; then
  echo "seed-offline.sh: $expected rows in $data, $found of them found in $table." >&2
  exit 1
fi
echo "seed-offline.sh: $found rows of $data are in $table." >&2

[ $# -eq 0 ] && exit 0
status=0
"$@" || status=$?
exit "$status"
