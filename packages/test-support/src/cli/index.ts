export { cli, memoryStream, start, waitFor, type CliRun } from './run.js';
