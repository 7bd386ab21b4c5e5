import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = LevelWithSilent;

/** One JSON logger per program; modules take `log.child({ module })`. The stream is injectable. */
/**
 * Fields that hold secrets are never written, wherever a log line carries them (a request's
 * headers, a config, a login body).
 */
const REDACTED = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'tokenHash',
  '*.tokenHash',
  'secret',
  '*.secret',
  'csrfToken',
  '*.csrfToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
] as const;

export function createLogger(name: string, level: LogLevel, destination?: DestinationStream): Logger {
  const options = { name, level, base: { name }, redact: { paths: [...REDACTED], censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type { Logger } from 'pino';

/** A logger that appends to a file (the demo keeps its terminal for people). */
export function createFileLogger(name: string, level: LogLevel, path: string): Logger {
  return createLogger(name, level, pino.destination({ dest: path, sync: true, mkdir: true }));
}
