import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = LevelWithSilent;

/** One JSON logger per program; modules take `log.child({ module })`. The stream is injectable. */
export function createLogger(name: string, level: LogLevel, destination?: DestinationStream): Logger {
  const options = { name, level, base: { name } };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type { Logger } from 'pino';

/** A logger that appends to a file (the demo keeps its terminal for people). */
export function createFileLogger(name: string, level: LogLevel, path: string): Logger {
  return createLogger(name, level, pino.destination({ dest: path, sync: true, mkdir: true }));
}
