import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether the agent's previous run ended with a clean shutdown. `stop()` writes the marker file;
 * the next start reads it and removes it, so a run that dies (SIGKILL, power cut) leaves none.
 */
export interface RunMarker {
  readonly previousRunClean: boolean;
  /** Writes the marker; call last, after everything else has stopped cleanly. */
  markClean(): void;
}

export const CLEAN_SHUTDOWN_FILE = 'clean-shutdown';

export function openRunMarker(dataDir: string): RunMarker {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, CLEAN_SHUTDOWN_FILE);
  let previousRunClean: boolean;
  try {
    rmSync(path);
    previousRunClean = true;
  } catch {
    previousRunClean = false;
  }
  return {
    previousRunClean,
    markClean() {
      writeFileSync(path, `${new Date().toISOString()}\n`);
    },
  };
}
