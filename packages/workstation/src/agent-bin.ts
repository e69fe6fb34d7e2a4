#!/usr/bin/env node
import { runOpenclawAgent } from './index.js';

process.exitCode = await runOpenclawAgent(process.argv.slice(2));
// A plugin handler that ignores its abort signal must not keep a stopped agent alive.
setTimeout(() => process.exit(), 5000).unref();
