#!/usr/bin/env bash
# Every REST route of an OpenClaw Node server, called with curl.
#
#   OPENCLAW_TOKEN=… ./curl.sh <node-id> [plugin.action] [params-json]
#
#   ./curl.sh ws-042                                           # explorer.ping, params {}
#   ./curl.sh ws-042 explorer.open_folder '{"path": "/mnt/show/sh010"}'
#
# OPENCLAW_SERVER defaults to http://127.0.0.1:8765. The token is read from the environment only,
# so it never shows in `ps` or in your shell history. Each call prints "== METHOD /route" on stderr
# and the JSON answer on stdout; the script stops at the first call that fails, unless the call is
# one shown for its error answer.
set -euo pipefail

server="${OPENCLAW_SERVER:-http://127.0.0.1:8765}"
server="${server%/}"
token="${OPENCLAW_TOKEN:?set OPENCLAW_TOKEN to an operator token of the server}"
node="${1:?usage: curl.sh <node-id> [plugin.action] [params-json]}"
action="${2:-explorer.ping}"
params="${3:-}"
if [[ -z "${params}" ]]; then params='{}'; fi
plugin="${action%%.*}"
auth=(-H "Authorization: Bearer ${token}")

# call METHOD ROUTE [JSON]: fails (curl exit 22) on an HTTP error, after printing the error body.
call() {
  local method="$1" route="$2" body="${3:-}"
  echo "== ${method} ${route}" >&2
  if [[ -n "${body}" ]]; then
    curl -sS --fail-with-body -X "${method}" "${auth[@]}" -H 'Content-Type: application/json' \
      --data "${body}" "${server}${route}"
  else
    curl -sS --fail-with-body -X "${method}" "${auth[@]}" "${server}${route}"
  fi
  echo
}

# show METHOD ROUTE [JSON]: prints the HTTP status and the body, whatever the status.
show() {
  local method="$1" route="$2" body="${3:-}"
  echo "== ${method} ${route} (an error answer, shown on purpose)" >&2
  local args=(-sS -X "${method}" "${auth[@]}" -w '\nHTTP %{http_code}\n')
  if [[ -n "${body}" ]]; then args+=(-H 'Content-Type: application/json' --data "${body}"); fi
  curl "${args[@]}" "${server}${route}"
}

# The value of the first "command_id" in a JSON answer (no jq needed).
command_id() {
  grep -o '"command_id" *: *"[^"]*"' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/'
}

echo "== GET /api/health (no token needed)" >&2
curl -sS --fail-with-body "${server}/api/health"
echo

call GET /api/nodes
call GET "/api/nodes/${node}"
call GET /api/plugins
call GET "/api/plugins/${plugin}"

# Run the action and wait for its result (the answer carries command_id, result and duration_ms).
call POST "/api/nodes/${node}/exec" "{\"action\": \"${action}\", \"params\": ${params}}"

# Start it without waiting: 202 with the job's links; then read the job and follow its events.
accepted="$(call POST "/api/nodes/${node}/exec" "{\"action\": \"${action}\", \"params\": ${params}, \"wait\": false}")"
echo "${accepted}"
job="$(command_id <<<"${accepted}")"
call GET "/api/jobs/${job}"
echo "== GET /api/jobs/${job}/events (Server-Sent Events; ends after the job's last state)" >&2
curl -sS -N --fail-with-body --max-time 120 "${auth[@]}" -H 'Accept: text/event-stream' \
  "${server}/api/jobs/${job}/events"
call GET "/api/jobs?node=${node}&limit=5"

# The same action on every node that matches a target (here: this one node), waiting for all.
call POST /api/exec "{\"target\": {\"nodes\": [\"${node}\"]}, \"action\": \"${action}\", \"params\": ${params}, \"wait\": true}"

# Cancelling a job that already ended answers 409 JOB_STATE_CONFLICT; a running one is cancelled.
show POST "/api/jobs/${job}/cancel"
# An action the node does not have: 404 with { status, error: { code, message, details } }.
show POST "/api/nodes/${node}/exec" '{"action": "nosuch.action", "params": {}}'
