/**
 * Added to every headless Nuke run: no license dialog and no crash prompt may wait for a click
 * that never comes on a render node (Foundry's documented environment variables).
 */
export const BATCH_ENV: Record<string, string> = {
  FN_DISABLE_LICENSE_DIALOG: '1',
  NUKE_NO_CRASH_PROMPT: '1',
};
