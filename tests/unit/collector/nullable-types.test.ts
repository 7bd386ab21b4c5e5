import { describe, expect, it } from 'vitest';
import { withNullableTypes } from '../../../collector/src/decode/canonical-check.js';

describe('the canonical check writes a nullable field as one type list', () => {
  it('merges a typed branch and a null branch, keeping the type-specific keywords', () => {
    expect(
      withNullableTypes({
        properties: {
          rttMs: { default: null, anyOf: [{ type: 'number', minimum: 0, maximum: 60_000 }, { type: 'null' }] },
          role: { anyOf: [{ type: 'string', enum: ['gateway', 'noc'] }, { type: 'null' }] },
        },
      }),
    ).toEqual({
      properties: {
        rttMs: { default: null, type: ['number', 'null'], minimum: 0, maximum: 60_000 },
        role: { type: ['string', 'null'], enum: ['gateway', 'noc', null] },
      },
    });
  });

  it('leaves any other anyOf as zod wrote it', () => {
    const kept = [
      { anyOf: [{ type: 'number' }, { type: 'string' }] },
      { anyOf: [{ type: 'number', const: 1 }, { type: 'null' }] },
      { anyOf: [{ anyOf: [{ type: 'number' }, { type: 'string' }] }, { type: 'null' }] },
      { anyOf: [{ type: 'number' }, { type: 'null' }, { type: 'string' }] },
      { type: 'object', anyOf: [{ type: 'number' }, { type: 'null' }] },
    ];
    for (const schema of kept) expect(withNullableTypes(schema)).toEqual(schema);
  });
});
