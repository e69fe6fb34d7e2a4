#!/usr/bin/env node
// Committed so npm can link the command at install time, before the build has written dist/.
import '../dist/bin.js';
