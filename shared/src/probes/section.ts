import type { z } from 'zod';
import { errorCodeSchema } from '../ids.js';

/**
 * Every probe's section has an `error` (null when the probe worked) and values that are null when
 * not measured. "Not measured" (null) and "measured zero" (0) are different things. A value left out
 * reads as null, so a third-party device may send only what it has.
 */
export function nullable<T extends z.ZodType>(schema: T) {
  return schema.nullable().default(null);
}

export const sectionError = nullable(errorCodeSchema);
