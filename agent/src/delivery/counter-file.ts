import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A number that only grows and survives restarts: the next value is written (to a temporary file,
 * then renamed, so a power cut leaves the old or the new value, never a torn one) before it is
 * handed out. A crash can skip a number; it can never reuse one.
 */
export class CounterFile {
  private current: number;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.current = readCounter(path);
  }

  /** The last value handed out (-1 before the first). */
  get last(): number {
    return this.current;
  }

  /**
   * Hands out the next value, written first. A write that fails (a full or read-only disk) throws,
   * and the value counts as handed out all the same: this run never hands it out twice.
   */
  next(): number {
    const value = this.current + 1;
    this.current = value;
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${value}\n`);
    renameSync(temporary, this.path);
    return value;
  }
}

function readCounter(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return -1;
    throw error;
  }
  const value = Number.parseInt(text.trim(), 10);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(
      `${path} does not hold a counter (found ${JSON.stringify(text.slice(0, 20))}); move it aside to start again`,
    );
  }
  return value;
}
