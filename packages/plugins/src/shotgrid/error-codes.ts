/** The shotgrid plugin's own error codes (docs/errors.md, "Plugin: shotgrid"). */
export const SHOTGRID_ERRORS = {
  SG_AUTH: 'The site rejected the script name or key',
  SG_FORBIDDEN: "The script user's permission group forbids this",
  SG_NOT_FOUND: 'No such entity (or no Shot with that code in the project)',
  SG_AMBIGUOUS: 'More than one Shot matched',
  SG_VALIDATION: "The site refused the request (an unknown status, a bad field); the site's message is kept",
  SG_UNAVAILABLE: 'The site could not be reached, or kept answering 429/5xx after retries',
  SG_UPLOAD_FAILED:
    'The movie upload failed; details.version_id says whether the Version was already created',
} as const;

/** What every call to the site may answer. */
export const SITE_ERRORS = [
  'CONFIG_INVALID',
  'SG_AUTH',
  'SG_FORBIDDEN',
  'SG_VALIDATION',
  'SG_UNAVAILABLE',
] as const;
