#!/usr/bin/env node
// Thin launcher: the built CLI decides the exit code; nothing else happens here.
import { execute } from '../dist/cli/main.js';

process.exitCode = await execute(process.argv.slice(2));
