// A collector's evaluator lease in a process of its own, so a test can pause (SIGSTOP) or kill it.
// Usage: node lease-contender.mjs <postgres-url> <holder> <leaseMs> <pollMs>
// Prints one JSON line per event; while it leads it writes a row every 100 ms through the fence;
// a line "write" on stdin makes it write once more with the last epoch it led, whatever it now thinks.
import { createInterface } from 'node:readline';
import { createLeaderLease, fencedTransaction, openPgLockSession } from '@pantau/collector';
import { createLogger } from '@pantau/shared';
import pg from 'pg';

const [url, holder, leaseArg, pollArg] = process.argv.slice(2);
const leaseMs = Number(leaseArg);
const pollMs = Number(pollArg);
const say = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const pool = new pg.Pool({ connectionString: url, max: 2 });
pool.on('error', () => {});
let lastLed = null;
const lease = createLeaderLease(
  { leaseMs, pollMs },
  {
    open: () => openPgLockSession({ connectionString: url, holder, leaseMs, nowMs: Date.now }),
    every: (ms, fn) => {
      const timer = setInterval(fn, ms);
      return () => clearInterval(timer);
    },
    monotonicMs: () => performance.now(),
    log: createLogger(holder, 'silent'),
  },
);
lease.onChange((epoch) => {
  if (epoch !== null) lastLed = epoch;
  say({ event: 'epoch', epoch });
});

async function write(epoch, event, through = pool) {
  try {
    const result = await fencedTransaction(through, epoch, leaseMs, (db) =>
      db.query('INSERT INTO lease_writes (holder, epoch) VALUES ($1, $2)', [holder, epoch]),
    );
    say({ event, epoch, ok: result.ok, currentEpoch: result.ok ? epoch : result.currentEpoch });
  } catch (error) {
    say({ event, epoch, ok: false, error: error.message });
  }
}

let writing = false;
setInterval(() => {
  const epoch = lease.epoch();
  if (epoch === null || writing) return;
  writing = true;
  void write(epoch, 'write').finally(() => {
    writing = false;
  });
}, 100);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'write' || lastLed === null) return;
  // A pool of its own: the resumed process's pool may still hold a connection the server ended.
  const fresh = new pg.Pool({ connectionString: url, max: 1 });
  fresh.on('error', () => {});
  void write(lastLed, 'forced', fresh).finally(() => fresh.end());
});
lease.start();
say({ event: 'started' });
