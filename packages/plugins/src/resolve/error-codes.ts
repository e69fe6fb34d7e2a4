/** The resolve plugin's own error codes (docs/errors.md, "Plugin: resolve"). */
export const RESOLVE_ERRORS = {
  RESOLVE_MODULE_NOT_FOUND:
    'Python could not import DaVinciResolveScript (check RESOLVE_SCRIPT_API, the Python used)',
  RESOLVE_NOT_RUNNING: 'DaVinci Resolve is not running',
  RESOLVE_UNREACHABLE:
    'Resolve runs but does not answer scripting (external scripting off, free edition, still starting)',
  RESOLVE_NO_PROJECT: 'No project is open in Resolve',
  RESOLVE_IMPORT_FAILED: 'The media pool imported nothing',
  RESOLVE_TIMELINE_FAILED: 'The timeline could not be created (a name already in use, no clips)',
  RESOLVE_BRIDGE_FAILED: 'The bridge script crashed or printed no answer',
} as const;

/** What every bridge call may answer. */
export const BRIDGE_ERRORS = [
  'CONFIG_INVALID',
  'RESOLVE_MODULE_NOT_FOUND',
  'RESOLVE_NOT_RUNNING',
  'RESOLVE_UNREACHABLE',
  'RESOLVE_NO_PROJECT',
  'RESOLVE_BRIDGE_FAILED',
] as const;
