/**
 * The protocol's limits on what one payload may declare (docs/columnar.md, "Limits"). A decoder
 * checks each declared count against these before it allocates anything for it, so whatever a
 * payload claims, decoding it costs time and memory bounded by its bytes and these figures.
 */
import { MAX_SAMPLES_PER_BATCH } from '../batch.js';

/** Default largest payload accepted, checked before anything is decoded. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

/** The most bytes a compressed JSON payload may expand to: a bound against bombs. */
export const MAX_DECOMPRESSED_BYTES = 8 * 1024 * 1024;

/**
 * JSON (after decompression): the deepest nesting of arrays and objects, and the most values
 * (counted as opening brackets and commas outside strings). A batch nests 7 deep; a day of samples
 * with every probe and 32 latency targets holds about 650,000 values.
 */
export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_VALUES = 1_048_576;

/**
 * Columnar: the most bytes a structure may inflate to. A day of samples with every probe has about
 * 11 KB of structure; tagged values in every cell could need more, and an encoder then sends the
 * batch in another encoding.
 */
export const MAX_COLUMNAR_STRUCTURE_BYTES = 2 * 1024 * 1024;

/** Columnar: samples in one batch, as the batch schema allows. */
export const MAX_COLUMNAR_SAMPLES = MAX_SAMPLES_PER_BATCH;

/** Columnar: columns in one batch. A sample the schema accepts has at most 406 leaf fields. */
export const MAX_COLUMNAR_COLUMNS = 512;

/**
 * Columnar: cells (a column's value in one sample) in one batch, summed over its columns. A day of
 * samples with every probe and 8 latency targets has about 216,000; an encoder sends a batch with
 * more in another encoding.
 */
export const MAX_COLUMNAR_CELLS = 262_144;

/** Columnar: a string's bytes (UTF-8). The longest string the schemas allow is 253 characters. */
export const MAX_COLUMNAR_STRING_BYTES = 1024;

/** Columnar: segments in a spelled-out field path (the deepest field has 5). */
export const MAX_PATH_SEGMENTS = 8;
