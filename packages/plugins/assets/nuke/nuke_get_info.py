"""Print facts about a Nuke script as one JSON line behind a marker.

Run by the OpenClaw Node nuke plugin as:

    Nuke15.1 -t /path/to/nuke_get_info.py /abs/path/script.nk

Nuke prints its banner, license and plugin lines to the same stdout, so the agent reads only what
follows RESULT_MARKER (success) or ERROR_MARKER (failure) on a line of its own. Written for the
Python 2.7 of Nuke <= 12 and the Python 3 of Nuke >= 13.
"""
import json
import sys

RESULT_MARKER = "@@AGENT_RESULT@@"
ERROR_MARKER = "@@AGENT_ERROR@@"
WRITE_CLASSES = ("Write", "DeepWrite", "WriteGeo")


def knob_value(node, name, default=None):
    """The value of a knob, or default when the node has no such knob."""
    knobs = node.knobs()
    if name not in knobs:
        return default
    try:
        return knobs[name].value()
    except Exception:  # an odd knob must not hide the rest of the script's facts
        return default


def as_int(value):
    return None if value is None else int(value)


def write_node_info(node):
    return {
        "name": node.fullName(),
        "class": node.Class(),
        "file": knob_value(node, "file"),
        "file_type": knob_value(node, "file_type"),
        "disabled": bool(knob_value(node, "disable", False)),
        "use_limit": bool(knob_value(node, "use_limit", False)),
        "first": as_int(knob_value(node, "first")),
        "last": as_int(knob_value(node, "last")),
    }


def script_info(nuke, path):
    nuke.scriptOpen(path)
    root = nuke.root()
    fmt = root.format()
    writes = [
        write_node_info(node)
        for node in nuke.allNodes(recurseGroups=True)
        if node.Class() in WRITE_CLASSES
    ]
    return {
        "nuke_version": nuke.NUKE_VERSION_STRING,
        "script": root.name(),
        "first_frame": int(root["first_frame"].value()),
        "last_frame": int(root["last_frame"].value()),
        "fps": float(root["fps"].value()),
        "format": {
            "name": fmt.name() or None,
            "width": int(fmt.width()),
            "height": int(fmt.height()),
            "pixel_aspect": float(fmt.pixelAspect()),
        },
        "views": list(nuke.views()),
        "write_nodes": writes,
    }


def emit(marker, payload):
    # ensure_ascii keeps the line safe on any console encoding; the agent decodes the escapes.
    sys.stdout.write("\n" + marker + json.dumps(payload, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def main(argv):
    if len(argv) < 2:
        emit(ERROR_MARKER, {"type": "UsageError", "message": "usage: nuke_get_info.py <script.nk>"})
        return 2
    try:
        import nuke

        info = script_info(nuke, argv[1])
    except Exception as error:  # any failure to load or read the script is reported, not raised
        emit(ERROR_MARKER, {"type": type(error).__name__, "message": str(error)})
        return 3
    emit(RESULT_MARKER, info)
    return 0


# Nuke's -t runs this file directly; whether it sets __name__ to "__main__" is not documented.
sys.exit(main(sys.argv))
