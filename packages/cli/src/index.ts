export { createCli, runCli } from './cli.js';
export type { OpenClawContext } from './context.js';
export { EXIT_CODES } from './commands/openclaw-command.js';
export { coerceParams, coerceValue, parseAssignments, type Assignment } from './params/coerce-params.js';
export { shellQuote, shellLine } from '@openclaw-node/core';
