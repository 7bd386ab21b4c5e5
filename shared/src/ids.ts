import { z } from 'zod';

/**
 * A site id is one MQTT topic level, so it may not hold `/`, `+` or `#`; lower case keeps ids typed
 * by technicians unambiguous (e.g. `kutim-sangatta-01`).
 */
export const siteIdSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'a site id is 1-64 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
  );
export type SiteId = z.infer<typeof siteIdSchema>;

/** Linux gives a UUID in /proc/sys/kernel/random/boot_id; other devices may send any short token. */
export const bootIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'a boot id is 1-64 characters of letters, digits or "-"');
export type BootId = z.infer<typeof bootIdSchema>;

/** Sequence numbers count samples per site, across restarts and reboots. */
export const seqSchema = z.int().min(0);

/** Stable error codes (snake_case) are listed in docs/errors.md; unknown codes still validate. */
export const errorCodeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,47}$/, 'an error code is snake_case, 2-48 characters');
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/**
 * Wall-clock epoch milliseconds. A Pi without a clock battery may report 1970 until NTP syncs, so
 * 0 is valid here; plausibility against receipt time is the collector's job.
 */
export const epochMsSchema = z.int().min(0).max(4_102_444_800_000);

/** Every envelope carries the protocol version; this is version 1. */
export const PROTOCOL_VERSION = 1;
export const versionSchema = z.literal(PROTOCOL_VERSION);
