#!/usr/bin/env node
import { defaultLogFile } from './logging/log-paths.js';
import { runAgentMain } from './main.js';

process.exitCode = await runAgentMain(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  defaultLogFile: defaultLogFile(),
});
// A plugin handler that ignores its abort signal must not keep a stopped agent alive.
setTimeout(() => process.exit(), 5000).unref();
