/** The nuke plugin's own error codes (docs/errors.md, "Plugin: nuke"). */
export const NUKE_ERRORS = {
  RENDER_FAILED:
    'The render exited with an error, printed ERROR: lines, or did not write every requested frame; details has the log tail and the missing frames',
  LICENSE_UNAVAILABLE:
    'No Nuke license could be checked out (license server down, no seats, foundry_LICENSE unset)',
  SCRIPT_LOAD_FAILED: 'Nuke could not load the script to read its information',
} as const;
