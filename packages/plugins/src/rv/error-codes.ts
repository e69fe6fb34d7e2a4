/** The rv plugin's own error codes (docs/errors.md, "Plugin: rv"). */
export const RV_ERRORS = {
  RV_UNREACHABLE: 'rvpush could not reach or start an RV (exit 4 or 11)',
} as const;
