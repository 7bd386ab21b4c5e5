import { decodePayload, parseTopic, payloadSchemas } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { protocolExamples } from '../../helpers/protocol-doc.js';

describe('docs/protocol.md', () => {
  const examples = protocolExamples();

  it('has an example of every message kind', () => {
    expect(new Set(examples.map((e) => e.kind))).toEqual(new Set(Object.keys(payloadSchemas)));
  });

  it.each(examples.map((e) => [e.kind, e] as const))('its %s example is valid on its topic', (_kind, example) => {
    const decoded = decodePayload(example.kind, Buffer.from(example.json));
    expect(decoded.ok ? 'valid' : decoded.message).toBe('valid');
    const topic = parseTopic('pantau/v1', example.topic);
    expect(topic?.kind).toBe(example.kind);
    expect(decoded.ok && decoded.value.siteId).toBe(topic?.siteId);
  });
});
