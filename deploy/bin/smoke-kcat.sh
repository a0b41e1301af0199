#!/usr/bin/env bash
# Interoperability smoke test of the local broker with a real third-party client, kcat (Debian package):
# starts deploy/bin/kafka-local.sh on a free port with a throw-away data folder, creates the topic catalogue,
# produces a binary-mode CloudEvent with kcat (ce_* headers), consumes it back with kcat, checks the port-taken
# error, and stops the broker. Installs kcat with apt-get when it is missing and this user may; otherwise skips.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v kcat >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "smoke-kcat: installing kcat (Debian package)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat) >/dev/null 2>&1 || true
  fi
fi
if ! command -v kcat >/dev/null 2>&1; then
  echo "smoke-kcat: SKIPPED (kcat is not installed and could not be installed here)"
  exit 0
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&- ; }
port=29092
while port_open "$port" || port_open "$((port + 1))"; do port=$((port + 2)); done
data="$(mktemp -d)"
export QUINTET_KAFKA_PORT="$port" QUINTET_KAFKA_DATA="$data" QUINTET_KAFKA_HEAP=512m
trap '"$here/kafka-local.sh" stop >/dev/null 2>&1 || true; rm -rf "$data"' EXIT

"$here/kafka-local.sh" start
"$here/kafka-local.sh" topics | tail -1

id="$(cat /proc/sys/kernel/random/uuid)"
data_json='{"id":"'"$id"'","event_timestamp":"2026-11-02T09:15:30Z","observed_timestamp":"2026-11-02T09:15:31Z","source":"kcat","action":{"name":"auth.user.login_succeeded","type":"access"},"actor":{"id":"u-1","type":"user"}}'
printf '%s\n' "$data_json" | kcat -b "127.0.0.1:$port" -P -t events.raw -k u-1 \
  -H ce_specversion=1.0 -H "ce_id=$id" -H ce_source=kcat -H ce_type=auth.user.login_succeeded \
  -H content-type=application/json

got="$(kcat -b "127.0.0.1:$port" -C -t events.raw -o beginning -c 1 -e -q -f '%k|%h|%s\n')"
case "$got" in
  "u-1|"*"ce_id=$id"*"\"id\":\"$id\""*) echo "smoke-kcat: kcat produced and consumed a CloudEvent through the local broker" ;;
  *) echo "smoke-kcat: FAILED, kcat read back: $got" >&2; exit 1 ;;
esac

# starting again while running is a no-op
"$here/kafka-local.sh" start | grep -q "already running" || { echo "smoke-kcat: FAILED, second start was not a no-op" >&2; exit 1; }
# a second broker on the same port must fail with a clear message
other="$(mktemp -d)"
if msg="$(QUINTET_KAFKA_DATA="$other" "$here/kafka-local.sh" start 2>&1)"; then
  echo "smoke-kcat: FAILED, a second broker started on a taken port" >&2; rm -rf "$other"; exit 1
fi
rm -rf "$other"
case "$msg" in *"already taken"*) echo "smoke-kcat: taken port reported: ${msg##*: }";; *) echo "smoke-kcat: FAILED, unexpected message: $msg" >&2; exit 1;; esac
echo "smoke-kcat: OK"
