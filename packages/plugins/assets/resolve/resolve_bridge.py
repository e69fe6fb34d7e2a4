"""OpenClaw Node bridge to DaVinci Resolve's scripting API.

The agent runs this with an external Python (never in-process) and writes ONE command as JSON
to stdin:

    {"protocol": 1, "action": "<name>", "args": {...},
     "setup": {"script_api": "<dir or null>", "script_lib": "<file or null>"}}

It prints exactly one result line behind a marker, after whatever Resolve's own module printed:

    @@AGENT_RESULT@@{"ok": true, "result": {...}}
    @@AGENT_RESULT@@{"ok": false, "code": "RESOLVE_...", "message": "...", "details": {...}}

Input never comes from argv, so paths with spaces, quotes or any unicode arrive intact.
Written for Python 3.6+ (Resolve's supported range); avoids f-strings and newer syntax.
"""

import json
import os
import sys
import traceback

MARKER = "@@AGENT_RESULT@@"
PROTOCOL = 1
MAX_CLIP_WALK = 100000


class BridgeFailure(Exception):
    def __init__(self, code, message, details=None):
        Exception.__init__(self, message)
        self.code = code
        self.message = message
        self.details = details or {}


def emit(payload):
    # ensure_ascii keeps the line ASCII whatever the console encoding is (Windows cp1252).
    sys.stdout.write("\n" + MARKER + json.dumps(payload, ensure_ascii=True) + "\n")
    sys.stdout.flush()


def read_command():
    stream = getattr(sys.stdin, "buffer", sys.stdin)
    raw = stream.read()
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    command = json.loads(raw)
    if not isinstance(command, dict) or not isinstance(command.get("action"), str):
        raise BridgeFailure("RESOLVE_BRIDGE_FAILED", "The bridge expects a JSON object with an action")
    if command.get("protocol") != PROTOCOL:
        raise BridgeFailure(
            "RESOLVE_BRIDGE_FAILED",
            "The bridge speaks protocol {0}, the agent sent {1}".format(PROTOCOL, command.get("protocol")),
        )
    return command


def default_locations():
    """The vendor's documented scripting locations for this OS (Developer/Scripting/README.txt)."""
    if sys.platform.startswith("darwin"):
        return (
            ["/Library/Application Support/Blackmagic Design/DaVinci Resolve/Developer/Scripting"],
            ["/Applications/DaVinci Resolve/DaVinci Resolve.app/Contents/Libraries/Fusion/fusionscript.so"],
        )
    if sys.platform.startswith("win") or sys.platform.startswith("cygwin"):
        program_data = os.environ.get("PROGRAMDATA") or os.environ.get("ALLUSERSPROFILE") or "C:\\ProgramData"
        program_files = os.environ.get("PROGRAMFILES") or "C:\\Program Files"
        return (
            [os.path.join(program_data, "Blackmagic Design", "DaVinci Resolve", "Support", "Developer", "Scripting")],
            [os.path.join(program_files, "Blackmagic Design", "DaVinci Resolve", "fusionscript.dll")],
        )
    return (
        ["/opt/resolve/Developer/Scripting", "/home/resolve/Developer/Scripting"],
        ["/opt/resolve/libs/Fusion/fusionscript.so", "/home/resolve/libs/Fusion/fusionscript.so"],
    )


def pick(configured, env_name, candidates, exists):
    if configured:
        return configured
    if os.environ.get(env_name):
        return os.environ[env_name]
    for candidate in candidates:
        if exists(candidate):
            return candidate
    return candidates[0]


def set_up_environment(setup):
    """Set RESOLVE_SCRIPT_API / RESOLVE_SCRIPT_LIB / PYTHONPATH as the README asks, already expanded."""
    api_candidates, lib_candidates = default_locations()
    script_api = pick(setup.get("script_api"), "RESOLVE_SCRIPT_API", api_candidates, os.path.isdir)
    script_lib = pick(setup.get("script_lib"), "RESOLVE_SCRIPT_LIB", lib_candidates, os.path.isfile)
    modules = os.path.join(script_api, "Modules")
    os.environ["RESOLVE_SCRIPT_API"] = script_api
    os.environ["RESOLVE_SCRIPT_LIB"] = script_lib
    existing = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = modules + (os.pathsep + existing if existing else "")
    if modules not in sys.path:
        sys.path.insert(0, modules)
    return {"script_api": script_api, "script_lib": script_lib, "python": sys.executable,
            "python_version": "{0}.{1}.{2}".format(*sys.version_info[:3])}


def import_resolve_module(environment):
    try:
        import DaVinciResolveScript  # noqa: F401  (found through the Modules folder set up above)
    except Exception as error:  # ImportError, or an OSError while loading fusionscript
        raise BridgeFailure(
            "RESOLVE_MODULE_NOT_FOUND",
            "Cannot import DaVinciResolveScript: {0}".format(error),
            dict(environment, error=str(error)),
        )
    return DaVinciResolveScript


def call(obj, method, *args):
    """Call an API method that may not exist in this Resolve version; None when it is missing."""
    try:
        return getattr(obj, method)(*args)
    except Exception:
        return None


def connect(environment):
    module = import_resolve_module(environment)
    resolve = module.scriptapp("Resolve")
    if resolve is None:
        raise BridgeFailure(
            "RESOLVE_UNREACHABLE",
            "scriptapp('Resolve') returned None: Resolve is not running, is still starting, has external "
            "scripting set to None (Preferences > System > General), or is the free edition",
            environment,
        )
    return resolve


def current_project(resolve):
    manager = resolve.GetProjectManager()
    project = manager.GetCurrentProject() if manager is not None else None
    if project is None:
        raise BridgeFailure("RESOLVE_NO_PROJECT", "Resolve has no current project (is the project manager open?)")
    return project


def timeline_names(project):
    count = call(project, "GetTimelineCount") or 0
    names = []
    for index in range(1, int(count) + 1):
        timeline = call(project, "GetTimelineByIndex", index)
        if timeline is not None:
            names.append(timeline.GetName())
    return names


def product_info(resolve):
    return {"product": call(resolve, "GetProductName"), "version": call(resolve, "GetVersionString")}


def action_ping(resolve, _args, environment):
    result = product_info(resolve)
    result.update(environment)
    return result


def action_get_current_project(resolve, _args, _environment):
    project = current_project(resolve)
    timeline = call(project, "GetCurrentTimeline")
    media_pool = call(project, "GetMediaPool")
    folder = call(media_pool, "GetCurrentFolder") if media_pool is not None else None
    result = product_info(resolve)
    unique_id = call(project, "GetUniqueId")
    result.update({
        "project": project.GetName(),
        "project_id": unique_id if isinstance(unique_id, str) and unique_id else None,
        "timeline_count": int(call(project, "GetTimelineCount") or 0),
        "timelines": timeline_names(project),
        "current_timeline": timeline.GetName() if timeline is not None else None,
        "current_bin": folder.GetName() if folder is not None else None,
    })
    return result


def find_or_create_bin(media_pool, bin_path):
    folder = media_pool.GetRootFolder()
    for name in [part for part in bin_path.split("/") if part]:
        existing = [sub for sub in (call(folder, "GetSubFolderList") or []) if sub.GetName() == name]
        if existing:
            folder = existing[0]
            continue
        created = media_pool.AddSubFolder(folder, name)
        if created is None:
            raise BridgeFailure("RESOLVE_IMPORT_FAILED", "Cannot create the bin '{0}'".format(bin_path),
                                {"field": "params.bin", "bin": bin_path})
        folder = created
    return folder


def import_media(media_pool, files):
    # The dict form is canonical since the 2026 README; old versions only know the list of paths.
    items = media_pool.ImportMedia([{"FilePath": path} for path in files])
    if items is None:
        items = media_pool.ImportMedia(list(files))
    return list(items or [])


def describe_item(item):
    path = call(item, "GetClipProperty", "File Path")
    if isinstance(path, dict):
        path = path.get("File Path")
    return {"name": item.GetName(), "media_id": call(item, "GetMediaId"),
            "file_path": path if isinstance(path, str) and path else None}


def action_add_to_media_pool(resolve, args, _environment):
    files = args.get("files") or []
    bin_path = args.get("bin")
    project = current_project(resolve)
    media_pool = project.GetMediaPool()
    previous = call(media_pool, "GetCurrentFolder")
    target = find_or_create_bin(media_pool, bin_path) if bin_path else previous
    if bin_path:
        media_pool.SetCurrentFolder(target)
    try:
        items = import_media(media_pool, files)
    finally:
        if bin_path and previous is not None:
            media_pool.SetCurrentFolder(previous)
    if not items:
        raise BridgeFailure(
            "RESOLVE_IMPORT_FAILED",
            "Resolve imported none of the {0} file(s): unsupported or unreadable media".format(len(files)),
            {"field": "params.files", "files": files},
        )
    return {
        "project": project.GetName(),
        "bin": target.GetName() if target is not None else None,
        "requested": len(files),
        "imported": len(items),
        "items": [describe_item(item) for item in items],
    }


def walk_clips(folder):
    """Every clip of the media pool, root first, depth first, bounded."""
    clips, stack = [], [folder]
    while stack and len(clips) < MAX_CLIP_WALK:
        current = stack.pop(0)
        clips.extend(call(current, "GetClipList") or [])
        stack = list(call(current, "GetSubFolderList") or []) + stack
    return clips


def resolve_clips(media_pool, wanted):
    clips = walk_clips(media_pool.GetRootFolder())
    by_key = {}
    for clip in clips:
        described = describe_item(clip)
        by_key.setdefault(described["name"], clip)
        if described["file_path"]:
            by_key.setdefault(described["file_path"], clip)
    missing = [name for name in wanted if name not in by_key]
    if missing:
        raise BridgeFailure(
            "RESOLVE_TIMELINE_FAILED",
            "No clip in the media pool is named or has the file path: {0}".format(", ".join(missing)),
            {"field": "params.clips", "missing": missing},
        )
    return [by_key[name] for name in wanted]


def append_clips(media_pool, clips):
    appended = media_pool.AppendToTimeline([{"mediaPoolItem": clip} for clip in clips])
    if appended is None or appended is False:
        appended = media_pool.AppendToTimeline(list(clips))
    if appended is True:
        return len(clips)
    return len(appended or [])


def action_create_timeline(resolve, args, _environment):
    name = args["name"]
    project = current_project(resolve)
    if name in timeline_names(project):
        raise BridgeFailure("RESOLVE_TIMELINE_FAILED", "A timeline named '{0}' already exists".format(name),
                            {"field": "params.name", "name": name})
    media_pool = project.GetMediaPool()
    clips = resolve_clips(media_pool, args.get("clips") or [])
    timeline = media_pool.CreateEmptyTimeline(name)
    if timeline is None:
        raise BridgeFailure("RESOLVE_TIMELINE_FAILED", "Resolve did not create the timeline '{0}'".format(name),
                            {"field": "params.name", "name": name})
    project.SetCurrentTimeline(timeline)
    appended = append_clips(media_pool, clips) if clips else 0
    if clips and appended == 0:
        raise BridgeFailure(
            "RESOLVE_TIMELINE_FAILED",
            "The timeline '{0}' was created but Resolve appended none of its clips".format(name),
            {"field": "params.clips", "timeline_created": True},
        )
    return {
        "project": project.GetName(),
        "timeline": timeline.GetName(),
        "clips_appended": appended,
        "start_frame": call(timeline, "GetStartFrame"),
        "end_frame": call(timeline, "GetEndFrame"),
    }


ACTIONS = {
    "ping": action_ping,
    "get_current_project": action_get_current_project,
    "add_to_media_pool": action_add_to_media_pool,
    "create_timeline": action_create_timeline,
}


def main():
    try:
        command = read_command()
        handler = ACTIONS.get(command["action"])
        if handler is None:
            raise BridgeFailure("RESOLVE_BRIDGE_FAILED", "Unknown bridge action: {0}".format(command["action"]))
        environment = set_up_environment(command.get("setup") or {})
        resolve = connect(environment)
        result = handler(resolve, command.get("args") or {}, environment)
    except BridgeFailure as failure:
        emit({"ok": False, "code": failure.code, "message": failure.message, "details": failure.details})
        return 2
    except Exception as error:
        emit({"ok": False, "code": "RESOLVE_BRIDGE_FAILED", "message": "{0}: {1}".format(type(error).__name__, error),
              "details": {"traceback": traceback.format_exc()[-4000:]}})
        return 3
    emit({"ok": True, "result": result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
