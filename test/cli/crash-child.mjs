// Test helper (plain JS, run by node): the built CLI, killed with SIGKILL from inside a commit when CRASH_AT_COMMIT
// is set (after that many data commits have written their usage rows, before the checkpoint of the same transaction),
// or paused there for PAUSE_MS milliseconds when PAUSE_AT_COMMIT is set (a writer holding an open transaction).
import { Store } from '../../dist/store/store.js';
import { execute } from '../../dist/cli/main.js';

const at = Number(process.env.CRASH_AT_COMMIT ?? 0);
if (at > 0) {
  const writeRows = Store.prototype.writeRows;
  let commits = 0;
  Store.prototype.writeRows = function (rows) {
    writeRows.call(this, rows);
    if (++commits === at) process.kill(process.pid, 'SIGKILL');
  };
}
const pauseAt = Number(process.env.PAUSE_AT_COMMIT ?? 0);
if (pauseAt > 0) {
  const writeRows = Store.prototype.writeRows;
  let commits = 0;
  Store.prototype.writeRows = function (rows) {
    writeRows.call(this, rows);
    if (++commits === pauseAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.env.PAUSE_MS));
  };
}
process.exitCode = await execute(process.argv.slice(2));
