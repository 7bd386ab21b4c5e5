import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether the agent's previous run ended with a clean shutdown. `stop()` writes the marker file;
 * the next start reads it and removes it, so a run that dies (SIGKILL, power cut) leaves none.
 */
export interface RunMarker {
  readonly previousRunClean: boolean;
  /** Writes the marker; call last, after everything else has stopped cleanly. False when the disk refused it. */
  markClean(): boolean;
}

export const CLEAN_SHUTDOWN_FILE = 'clean-shutdown';

export function openRunMarker(dataDir: string): RunMarker {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, CLEAN_SHUTDOWN_FILE);
  const previousRunClean = existsSync(path);
  try {
    rmSync(path, { force: true });
  } catch {
    // A read-only disk keeps the marker; this run cannot write a new one either, so the next
    // start reads what the last clean stop left.
  }
  return {
    previousRunClean,
    markClean() {
      try {
        writeFileSync(path, `${new Date().toISOString()}\n`);
        return true;
      } catch {
        return false;
      }
    },
  };
}
