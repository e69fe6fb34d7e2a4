#!/usr/bin/env node
import { runCli } from './index.js';

process.exitCode = await runCli(process.argv.slice(2));
// A plugin handler that ignores its abort signal must not keep a stopped agent or quickstart alive.
setTimeout(() => process.exit(), 5000).unref();
