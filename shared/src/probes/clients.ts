import { z } from 'zod';
import { nullable, sectionError } from './section.js';

export const clientsSourceSchema = z.enum(['neighbour', 'dhcp', 'snmp']);

/**
 * How many distinct client devices were seen on the site LAN. Only counts leave the site: no MAC or
 * IP address is ever published or logged.
 */
export const clientsSectionSchema = z.object({
  source: nullable(clientsSourceSchema),
  /** Distinct devices seen during this sample interval. */
  clientsInterval: nullable(z.int().min(0)),
  /** Distinct devices seen during the last hour (rolling). */
  clientsHour: nullable(z.int().min(0)),
  error: sectionError,
});
export type ClientsSection = z.infer<typeof clientsSectionSchema>;
