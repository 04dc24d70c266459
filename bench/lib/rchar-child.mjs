// Runs the built CLI in this process and, at exit, prints to stderr the bytes this process read through
// read(2)-like calls (Linux /proc/self/io "rchar": files, pipes, sockets, module loading included).
import { readFileSync } from 'node:fs';
import { execute } from '../../dist/cli/main.js';

const code = await execute(process.argv.slice(2));
const io = readFileSync('/proc/self/io', 'utf8');
process.stderr.write(`rchar ${/rchar:\s*(\d+)/.exec(io)?.[1] ?? 'n/a'}\n`);
process.exitCode = code;
