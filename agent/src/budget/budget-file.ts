import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '@pantau/shared';
import { z } from 'zod';

/** What survives a restart: the month the bytes belong to (null until the clock was ever synced). */
export interface BudgetState {
  readonly month: string | null;
  readonly usedBytes: number;
}

const stateSchema = z.object({
  v: z.literal(1),
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .nullable(),
  usedBytes: z.int().min(0),
});

/** Where the budget state lives; a memory one for tests. */
export interface BudgetStore {
  read(): BudgetState | null;
  /** False when the state could not be saved (a full or read-only disk): try again later. */
  write(state: BudgetState): boolean;
}

/**
 * A small JSON file in dataDir, written to a temporary file then renamed (as the sequence counter
 * is), so a power cut leaves the old state or the new one, never a torn file. An unreadable file
 * reads as null: the budget restarts at zero rather than stopping the agent.
 */
export function createBudgetFile(path: string, log: Logger): BudgetStore {
  let failing = false;
  mkdirSync(dirname(path), { recursive: true });
  return {
    read() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return null;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return null;
      }
      const parsed = stateSchema.safeParse(json);
      return parsed.success ? { month: parsed.data.month, usedBytes: parsed.data.usedBytes } : null;
    },
    write(state) {
      const temporary = `${path}.tmp`;
      try {
        writeFileSync(temporary, `${JSON.stringify({ v: 1, month: state.month, usedBytes: state.usedBytes })}\n`);
        renameSync(temporary, path);
      } catch (error) {
        if (!failing) {
          log.warn(
            { event: 'budget_not_saved', err: (error as Error).message },
            'cannot save the data budget: counting on',
          );
        }
        failing = true;
        return false;
      }
      failing = false;
      return true;
    },
  };
}

export function createMemoryBudgetStore(
  initial: BudgetState | null = null,
): BudgetStore & { state: BudgetState | null } {
  const store = {
    state: initial,
    read: () => store.state,
    write(state: BudgetState) {
      store.state = state;
      return true;
    },
  };
  return store;
}
