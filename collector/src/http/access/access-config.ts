import { z } from 'zod';
import { PASSWORD_HASH, TOKEN_HASH } from './passwords.js';

export const roles = ['viewer', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

const name = z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'letters, digits and . _ @ - (at most 64)');

/**
 * Who may use the HTTP API (docs/api.md, "Access"). `closed`: nothing but the health checks, the
 * login, the dashboard's files and the speed test without a user or token. `demo`: anonymous
 * requests act as admin, for a demo on one machine only.
 */
export const accessConfigSchema = z
  .strictObject({
    mode: z.enum(['demo', 'closed']).default('closed'),
    users: z
      .array(
        z.strictObject({
          name,
          role: roleSchema,
          passwordHash: z.string().regex(PASSWORD_HASH, 'make one with `pantau-collector user add NAME`'),
        }),
      )
      .default([]),
    tokens: z
      .array(
        z.strictObject({
          name,
          role: roleSchema,
          tokenHash: z.string().regex(TOKEN_HASH, 'make one with `pantau-collector user add NAME --token`'),
        }),
      )
      .default([]),
    /** A login session lasts this long (idle or not). */
    sessionTtlSec: z
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(12 * 3600),
    /** Sessions kept at once; past it the oldest is dropped. */
    maxSessions: z.int().min(1).max(100_000).default(1000),
  })
  .prefault({});
export type AccessConfig = z.infer<typeof accessConfigSchema>;
