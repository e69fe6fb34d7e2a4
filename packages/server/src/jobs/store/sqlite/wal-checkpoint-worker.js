// The SQLite store's checkpoint thread (see wal-checkpointer.ts). Plain JavaScript: a worker thread
// loads it as it is, from the sources in tests and from dist (copied there by the build).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ file: string, driverPath: string, minIntervalMs: number }} */
const { file, driverPath, minIntervalMs } = workerData;
const messageOf = (error) => (error instanceof Error ? error.message : String(error));

let db;
let checkpoint;
try {
  const Database = createRequire(import.meta.url)(driverPath);
  // Its own connection to the store's file; it never writes a row, so a short busy timeout is enough.
  db = new Database(file, { fileMustExist: true, timeout: 1000 });
  // NORMAL: the WAL is synced before its pages are copied into the database, and the database after.
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
} catch (error) {
  db?.close();
  parentPort.postMessage({ type: 'failed', message: `cannot open ${file}: ${messageOf(error)}` });
}

// A monotonic clock: a wall clock stepped back would hold the next checkpoint back as long.
let lastEnd = -Infinity;
let timer;

function run() {
  timer = undefined;
  let reply;
  try {
    const [result] = checkpoint.all();
    reply = { type: 'done', frames: result.log, copied: result.checkpointed };
  } catch (error) {
    reply = { type: 'failed', message: messageOf(error) };
  }
  lastEnd = performance.now();
  parentPort.postMessage(reply);
}

parentPort.on('message', (message) => {
  if (checkpoint === undefined) {
    parentPort.close();
    return;
  }
  if (message === 'checkpoint') {
    if (timer === undefined)
      timer = setTimeout(run, Math.max(0, lastEnd + minIntervalMs - performance.now()));
    return;
  }
  if (message === 'close') {
    clearTimeout(timer);
    db.close();
    parentPort.close();
  }
});
