#!/usr/bin/env python3
"""Call an OpenClaw Node server from Python, with the standard library only (urllib, json).

    export OPENCLAW_SERVER=http://pipeline:8765 OPENCLAW_TOKEN=...
    python3 python_client.py                                   # health, nodes and plugins
    python3 python_client.py ws-042 explorer.open_folder path=/mnt/show/sh010
    python3 python_client.py ws-042 nuke.render_write script=/mnt/show/sh010/comp.nk frame_range=1001-1100 threads=8

`key=value` values are read as JSON when they parse (8, true, ["a","b"]) and as text otherwise.
Exit code 0 on success; on failure the error code is printed and the exit code is 1.

Copy the OpenClawClient class into a pipeline tool as it is: it has no dependency.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Optional


class OpenClawError(Exception):
    """An error answer of the server, or a failure to reach it.

    code: the error code (PATH_NOT_ALLOWED, APP_NOT_FOUND, TIMEOUT, SERVER_UNREACHABLE...);
    http_status: the HTTP status, or None when the server was not reached;
    details: the server's details, e.g. {"field": "params.path"} naming the field at fault.
    """

    def __init__(
        self,
        code: str,
        message: str,
        http_status: Optional[int] = None,
        details: Optional[dict] = None,
        command_id: Optional[str] = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.http_status = http_status
        self.details = details or {}
        self.command_id = command_id


class OpenClawClient:
    """A small client for the OpenClaw Node REST API."""

    def __init__(self, server: str, token: Optional[str] = None, timeout: float = 30.0) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self.timeout = timeout

    def health(self) -> dict:
        return self._request("GET", "/api/health")

    def nodes(self) -> list:
        return self._request("GET", "/api/nodes")["nodes"]

    def node(self, node_id: str) -> dict:
        return self._request("GET", f"/api/nodes/{urllib.parse.quote(node_id, safe='')}")

    def plugins(self) -> list:
        return self._request("GET", "/api/plugins")["plugins"]

    def exec(self, node_id: str, action: str, params: Optional[dict] = None, timeout: Optional[float] = None) -> Any:
        """Run `plugin.action` on a node, wait for it, and return its result (raises OpenClawError)."""
        body: dict = {"action": action, "params": params or {}}
        if timeout is not None:
            body["timeout"] = timeout
        # The server answers within the action's timeout; allow that plus a margin.
        wait = (timeout or 3600) + 30
        answer = self._request("POST", f"/api/nodes/{urllib.parse.quote(node_id, safe='')}/exec", body, wait)
        return answer["result"]

    def job(self, command_id: str) -> dict:
        return self._request("GET", f"/api/jobs/{urllib.parse.quote(command_id, safe='')}")

    def _request(self, method: str, route: str, body: Optional[dict] = None, timeout: Optional[float] = None) -> Any:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.server + route, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise _api_error(error) from None
        except urllib.error.URLError as error:
            raise OpenClawError("SERVER_UNREACHABLE", f"cannot reach {self.server}: {error.reason}") from None
        except TimeoutError:
            raise OpenClawError("REQUEST_TIMEOUT", f"{method} {route} got no answer in time") from None


def _api_error(error: urllib.error.HTTPError) -> OpenClawError:
    text = error.read().decode("utf-8", "replace")
    try:
        body = json.loads(text)
        payload = body["error"]
        return OpenClawError(
            payload["code"],
            payload["message"],
            error.code,
            payload.get("details"),
            body.get("command_id"),
        )
    except (ValueError, KeyError, TypeError):
        return OpenClawError("INVALID_RESPONSE", f"HTTP {error.code}: {text[:200]}", error.code)


def parse_params(assignments: list) -> dict:
    """`["path=/mnt/x", "threads=8"]` -> {"path": "/mnt/x", "threads": 8}."""
    params = {}
    for assignment in assignments:
        key, sep, value = assignment.partition("=")
        if not sep or not key:
            raise OpenClawError("INVALID_PARAMS", f'"{assignment}" is not key=value')
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def main(argv: list) -> int:
    client = OpenClawClient(
        os.environ.get("OPENCLAW_SERVER", "http://127.0.0.1:8765"),
        os.environ.get("OPENCLAW_TOKEN"),
    )
    try:
        if len(argv) < 2:
            health = client.health()
            print(f"server {client.server}: {health['status']}, version {health['version']}")
            for node in client.nodes():
                print(f"node {node['node_id']} ({node['platform']}): {', '.join(node['plugins'])}")
            for plugin in client.plugins():
                print(f"plugin {plugin['name']}: {', '.join(sorted(plugin['actions']))}")
            return 0
        node_id, action = argv[0], argv[1]
        result = client.exec(node_id, action, parse_params(argv[2:]))
        print(json.dumps(result, indent=2))
        return 0
    except OpenClawError as error:
        field = error.details.get("field")
        status = f" (HTTP {error.http_status})" if error.http_status else ""
        print(f"error {error.code}{status}: {error.message}", file=sys.stderr)
        if field:
            print(f"  field: {field}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
