/** The version of every @openclaw-node package (they are released together). */
export const OPENCLAW_VERSION = '0.1.0';
