#!/usr/bin/env node
// Thin launcher: the built CLI (one bundle, see scripts/bundle.mjs) decides the exit code; nothing else happens here.
import { execute } from '../dist/tls-census.mjs';

process.exitCode = await execute(process.argv.slice(2));
