/**
 * The batches the columnar test vectors are made of (tests/interop/vectors/), each chosen to show
 * codings of docs/columnar.md. `schema` batches go through encodePayload (the schema first, as an
 * agent sends them); `format` batches are any JSON samples, packed as they are, for codings the
 * schema never makes (a constant empty array in a spelled-out field, a mix of types in a column).
 */
import { formatConstants, formatMixed, references, scales } from './format-batches.js';
import { constants, latency, minimal, nullsAndPresence, numbers } from './schema-batches.js';
import { agentDay, manyTargets, randomShapes, tagged, wide } from './shape-batches.js';

export interface VectorBatch {
  readonly name: string;
  readonly description: string;
  readonly kind: 'schema' | 'format';
  readonly agentVersion: string;
  readonly sentAtMs: number;
  readonly samples: readonly unknown[];
}

export function vectorBatches(): VectorBatch[] {
  return [
    minimal(),
    constants(),
    formatConstants(),
    numbers(),
    scales(),
    latency(),
    references(),
    nullsAndPresence(),
    tagged(),
    formatMixed(),
    manyTargets(),
    wide(),
    agentDay(),
    ...randomShapes(),
  ];
}
