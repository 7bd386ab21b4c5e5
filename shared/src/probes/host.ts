import { z } from 'zod';
import { nullable, sectionError } from './section.js';

/**
 * The health of the machine the agent runs on (a Raspberry Pi): heat, memory, the data card's free
 * space and load. Every figure is read without starting a process (docs/host.md says how and why).
 */
export const hostSectionSchema = z.object({
  /** The SoC's temperature (thermal zone 0); null where the host has none. */
  cpuTempCelsius: nullable(z.number()),
  /** Memory the kernel can give to new work without swapping (MemAvailable), and all of it. */
  memAvailableBytes: nullable(z.int().min(0)),
  memTotalBytes: nullable(z.int().min(0)),
  /** Free space for the agent on the filesystem of its data folder, and that filesystem's size. */
  diskFreeBytes: nullable(z.int().min(0)),
  diskTotalBytes: nullable(z.int().min(0)),
  /** Load averages over 1, 5 and 15 minutes (runnable and uninterruptible tasks). */
  load1: nullable(z.number().min(0)),
  load5: nullable(z.number().min(0)),
  load15: nullable(z.number().min(0)),
  error: sectionError,
});
export type HostSection = z.infer<typeof hostSectionSchema>;

/**
 * What the host is, sent in the birth status (at start, and again when the daily look finds a
 * change), not in samples. Every field is null when the host does not tell.
 */
export const hostInventorySchema = z.object({
  /** e.g. `Raspberry Pi 4 Model B`, and its revision code (`c03114`). */
  model: nullable(z.string().max(96)),
  revision: nullable(z.string().max(32)),
  serial: nullable(z.string().max(64)),
  /** e.g. `Debian GNU/Linux 12 (bookworm)`. */
  os: nullable(z.string().max(96)),
  kernel: nullable(z.string().max(64)),
  node: nullable(z.string().max(32)),
  agentVersion: nullable(z.string().max(32)),
  /** Size of the card (or disk) the data folder lives on. */
  dataCardBytes: nullable(z.int().min(0)),
  /** When the inventory was taken (agent clock). */
  takenAtMs: nullable(z.int().min(0)),
});
export type HostInventory = z.infer<typeof hostInventorySchema>;
