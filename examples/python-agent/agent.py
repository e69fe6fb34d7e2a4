#!/usr/bin/env python3
"""A small OpenClaw Node agent in Python, written from docs/protocol.md alone.

It advertises one plugin, `pyexample`, with three actions (`ping`, `echo`, `count`), reports
progress, honours `job:cancel`, and keeps its own reconnect loop (python-socketio treats the
server's namespace disconnect at a graceful restart as final, so its built-in reconnection is off).

    OPENCLAW_SERVER_URL=http://pipeline:8765 OPENCLAW_AGENT_TOKEN=... OPENCLAW_NODE_ID=ws-042 \\
        python3 agent.py

Needs python-socketio 5.x with a WebSocket client (Debian: python3-socketio python3-websocket;
pip: "python-socketio[client]").
"""
import os
import platform
import random
import socket
import sys
import threading
import time
from datetime import datetime, timezone

import socketio

NAMESPACE = "/agent"
PROTOCOL = 1
# Handshake refusals after which retrying cannot help (FATAL_HANDSHAKE_CODES).
FATAL_CODES = {"AUTH_REQUIRED", "AUTH_INVALID", "FORBIDDEN", "PROTOCOL_UNSUPPORTED", "INVALID_BODY"}
EXIT_FATAL = 3

SERVER_URL = os.environ.get("OPENCLAW_SERVER_URL", "http://127.0.0.1:8765")
SOCKET_PATH = os.environ.get("OPENCLAW_SOCKET_PATH", "/ws")
TOKEN = os.environ.get("OPENCLAW_AGENT_TOKEN", "")
NODE_ID = os.environ.get("OPENCLAW_NODE_ID", socket.gethostname().split(".")[0])

MANIFEST = {
    "name": "pyexample",
    "version": "1.0.0",
    "description": "Example actions of the Python agent",
    "platforms": ["windows", "darwin", "linux"],
    "sdk": "1.0.0",
    "actions": {
        "ping": {
            "description": "Say whether the plugin can run here",
            "params": {"type": "object", "properties": {}, "additionalProperties": False},
        },
        "echo": {
            "description": "Answer the text it was given",
            "params": {
                "type": "object",
                "required": ["text"],
                "additionalProperties": False,
                "properties": {"text": {"type": "string", "maxLength": 1000}},
            },
            "timeout": 10,
        },
        "count": {
            "description": "Count to `steps`, reporting progress; cancellable",
            "params": {
                "type": "object",
                "required": ["steps"],
                "additionalProperties": False,
                "properties": {
                    "steps": {"type": "integer", "minimum": 1, "maximum": 1000},
                    "delay_s": {"type": "number", "minimum": 0, "maximum": 10},
                },
            },
            "timeout": 600,
        },
    },
}


class ActionError(Exception):
    def __init__(self, code, message, details=None):
        super().__init__(message)
        self.code = code
        self.details = details


def log(message):
    print(f"{datetime.now(timezone.utc).isoformat()} {message}", file=sys.stderr, flush=True)


# Reconnection is ours (below), not python-socketio's.
sio = socketio.Client(reconnection=False)
# jobId -> threading.Event set by job:cancel. Each event handler runs in its own thread.
cancels = {}
cancels_lock = threading.Lock()
# Set from a handler thread to end the main loop: sys.exit() there would only end that thread.
stop = {"code": None, "why": ""}
handshake_error = {"code": None}


def run_action(job_id, action, params, cancelled):
    if action == "ping":
        return {"available": True, "app": {"path": sys.executable, "version": platform.python_version()}}
    if action == "echo":
        return {"text": params["text"]}
    if action == "count":
        steps = params["steps"]
        delay = params.get("delay_s", 0.1)
        for step in range(1, steps + 1):
            if cancelled.wait(delay):
                raise ActionError("CANCELLED", f"cancelled at step {step - 1} of {steps}")
            sio.emit("job:progress", {"jobId": job_id, "progress": step / steps, "message": f"step {step} of {steps}"},
                     namespace=NAMESPACE)
        return {"counted": steps}
    raise ActionError("ACTION_NOT_FOUND", f"pyexample has no action {action}", {"field": "action"})


def check_params(action, params):
    """The checks of protocol.md step 2, by hand for this small schema (a real agent uses jsonschema)."""
    schema = MANIFEST["actions"][action]["params"]
    if not isinstance(params, dict):
        raise ActionError("INVALID_PARAMS", "params must be an object", {"field": "params"})
    for name in schema.get("required", []):
        if name not in params:
            raise ActionError("INVALID_PARAMS", f"params.{name} is required", {"field": f"params.{name}"})
    for name in params:
        if name not in schema["properties"]:
            raise ActionError("INVALID_PARAMS", f"params.{name} is not allowed", {"field": f"params.{name}"})


@sio.on("exec", namespace=NAMESPACE)
def on_exec(request):
    # The return value is the ack. Every return sends one, so after a reconnect the server simply
    # ignores acks of jobs it already ended (NODE_DISCONNECTED).
    job_id = request.get("jobId") if isinstance(request, dict) else None
    if not isinstance(job_id, str):
        return {"ok": False, "error": {"code": "INVALID_BODY", "message": "exec without a jobId"}}
    cancelled = threading.Event()
    with cancels_lock:
        cancels[job_id] = cancelled
    try:
        plugin, _, action = str(request.get("action", "")).partition(".")
        if plugin != MANIFEST["name"]:
            raise ActionError("PLUGIN_NOT_FOUND", f"no plugin {plugin}", {"field": "action"})
        if action not in MANIFEST["actions"]:
            raise ActionError("ACTION_NOT_FOUND", f"pyexample has no action {action}", {"field": "action"})
        params = request.get("params") or {}
        check_params(action, params)
        sio.emit("job:accepted", {"jobId": job_id, "queued": False}, namespace=NAMESPACE)
        sio.emit("job:started", {"jobId": job_id}, namespace=NAMESPACE)
        return {"ok": True, "result": run_action(job_id, action, params, cancelled)}
    except ActionError as error:
        payload = {"code": error.code, "message": str(error)}
        if error.details:
            payload["details"] = error.details
        return {"ok": False, "error": payload}
    except Exception as error:  # never a stack trace in the answer
        log(f"job {job_id} failed: {error!r}")
        return {"ok": False, "error": {"code": "ACTION_FAILED", "message": "the action failed on the node"}}
    finally:
        with cancels_lock:
            cancels.pop(job_id, None)


@sio.on("job:cancel", namespace=NAMESPACE)
def on_cancel(request):
    with cancels_lock:
        event = cancels.get(request.get("jobId")) if isinstance(request, dict) else None
    if event:
        event.set()


@sio.on("session:replaced", namespace=NAMESPACE)
def on_replaced(notice):
    stop.update(code=EXIT_FATAL, why=f"replaced: {notice.get('reason')}")
    sio.disconnect()


@sio.on("session:revoked", namespace=NAMESPACE)
def on_revoked(notice):
    stop.update(code=EXIT_FATAL, why=f"revoked ({notice.get('code')}): {notice.get('reason')}")
    sio.disconnect()


@sio.on("connect_error", namespace=NAMESPACE)
def on_connect_error(data=None):
    # Socket.IO v4 sends {message, data: {code, message}}; keep the code for the main loop.
    details = data.get("data", data) if isinstance(data, dict) else None
    handshake_error["code"] = details.get("code") if isinstance(details, dict) else None


@sio.on("disconnect", namespace=NAMESPACE)
def on_disconnect():
    # The connection is gone: the server already failed this connection's jobs, so stop them.
    with cancels_lock:
        for event in cancels.values():
            event.set()


def hello():
    return {
        "nodeId": NODE_ID,
        "hostname": socket.gethostname(),
        "platform": {"win32": "windows", "darwin": "darwin"}.get(sys.platform, "linux"),
        "arch": platform.machine() or "unknown",
        "agentVersion": "0.1.0-python",
        "tags": ["python"],
        "plugins": [MANIFEST],
        "skipped": [],
        "startedAt": STARTED_AT,
        "os": f"{platform.system()} {platform.release()}"[:128],
    }


STARTED_AT = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def main():
    delay = 1.0
    while stop["code"] is None:
        handshake_error["code"] = None
        try:
            sio.connect(SERVER_URL, socketio_path=SOCKET_PATH, namespaces=[NAMESPACE], transports=["websocket"],
                        auth={"token": TOKEN, "nodeId": NODE_ID, "protocol": PROTOCOL}, wait_timeout=10)
        except socketio.exceptions.ConnectionError as error:
            code = handshake_error["code"]
            if code in FATAL_CODES:
                log(f"refused with {code}: not retrying")
                return EXIT_FATAL
            log(f"cannot connect ({code or error}); retrying in {delay:.0f} s")
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 60)
            continue
        try:
            ack = sio.call("hello", hello(), namespace=NAMESPACE, timeout=10)
        except Exception as error:  # timeout or a dropped connection: start over
            log(f"hello got no answer ({error!r})")
            sio.disconnect()
            continue
        if not ack.get("ok"):
            error = ack.get("error", {})
            log(f"hello refused: {error.get('code')}: {error.get('message')}")
            sio.disconnect()
            return EXIT_FATAL
        delay = 1.0
        log(f"registered as {NODE_ID} with server {ack.get('serverVersion')}")
        sio.wait()  # until the connection ends, for whatever reason
        if stop["code"] is None:
            log("disconnected; reconnecting")
            time.sleep(random.uniform(0.5, 1.5))
    log(f"stopping: {stop['why']}")
    return stop["code"]


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sio.disconnect()
        sys.exit(0)
