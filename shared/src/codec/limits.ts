/**
 * The protocol's limits on what one payload may declare. A decoder checks each declared count
 * against these before it allocates anything for it, so whatever a payload claims, decoding it
 * costs time and memory bounded by its bytes and these figures. docs/columnar.md ("Limits") says
 * why each is as large as it is: every batch the schemas accept fits, or its encoder sends it in
 * another encoding.
 */
import { MAX_SAMPLES_PER_BATCH } from '../batch.js';

/** Default largest payload accepted, checked before anything is decoded. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

/** The most bytes a compressed JSON payload may expand to: a bound against bombs. */
export const MAX_DECOMPRESSED_BYTES = 8 * 1024 * 1024;

/** JSON (after decompression): the deepest nesting of arrays and objects. */
export const MAX_JSON_DEPTH = 32;

/** JSON: the most values, counted as opening brackets and commas outside strings. */
export const MAX_JSON_VALUES = 1_048_576;

/** Columnar: the most bytes a structure may inflate to. */
export const MAX_COLUMNAR_STRUCTURE_BYTES = 2 * 1024 * 1024;

/** Columnar: samples in one batch, as the batch schema allows. */
export const MAX_COLUMNAR_SAMPLES = MAX_SAMPLES_PER_BATCH;

/** Columnar: columns in one batch, more than the leaf fields of any sample the schema accepts. */
export const MAX_COLUMNAR_COLUMNS = 512;

/** Columnar: cells (a column's value in one sample) in one batch, summed over its columns. */
export const MAX_COLUMNAR_CELLS = 262_144;

/** Columnar: a string's bytes (UTF-8), more than the longest string the schemas allow. */
export const MAX_COLUMNAR_STRING_BYTES = 1024;

/** Columnar: segments in a spelled-out field path. */
export const MAX_PATH_SEGMENTS = 8;
