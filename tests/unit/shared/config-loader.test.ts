import { type EnvMap, loadConfig } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const schema = z.object({
  name: z.string().min(1),
  mqtt: z.object({ url: z.string().default('mqtt://localhost'), port: z.int().min(1).default(1883) }).prefault({}),
  tags: z.array(z.string()).default([]),
  debug: z.boolean().default(false),
});
const envMap: EnvMap = {
  APP_NAME: { path: ['name'], type: 'string' },
  APP_PORT: { path: ['mqtt', 'port'], type: 'number' },
  APP_TAGS: { path: ['tags'], type: 'json' },
  APP_DEBUG: { path: ['debug'], type: 'boolean' },
};

describe('loadConfig', () => {
  it('layers defaults < file < environment', () => {
    const file = { path: 'site.yaml', text: 'name: from-file\nmqtt:\n  port: 1000\n' };
    const result = loadConfig(schema, { file, env: { APP_PORT: '2000', APP_DEBUG: 'yes' }, envMap });
    expect(result.ok && result.value).toEqual({
      name: 'from-file',
      mqtt: { url: 'mqtt://localhost', port: 2000 },
      tags: [],
      debug: true,
    });
  });

  it('reads JSON files too, and JSON environment values', () => {
    const file = { path: 'site.json', text: '{"name":"j"}' };
    const result = loadConfig(schema, { file, env: { APP_TAGS: '["a","b"]' }, envMap });
    expect(result.ok && result.value.tags).toEqual(['a', 'b']);
  });

  it('names the field, the bad value and its source', () => {
    const file = { path: 'site.yaml', text: 'name: ok\n' };
    const result = loadConfig(schema, { file, env: { APP_PORT: 'eighteen' }, envMap });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('config_invalid');
      expect(result.message).toContain('mqtt.port');
      expect(result.message).toContain('"eighteen"');
      expect(result.message).toContain('environment APP_PORT');
    }
  });

  it('says a required field is missing and where it should have come from', () => {
    const result = loadConfig(schema, { file: { path: 'site.yaml', text: 'mqtt: {}\n' }, env: {}, envMap });
    expect(!result.ok && result.message).toMatch(/name: .*it is missing \(from file site.yaml\)/);
  });

  it('reports a syntax error with the file name', () => {
    const result = loadConfig(schema, { file: { path: 'bad.yaml', text: 'name: [unclosed\n' }, env: {}, envMap });
    expect(!result.ok && result.code).toBe('config_unparsable');
    expect(!result.ok && result.message).toContain('bad.yaml');
  });

  it('refuses a file whose top level is not a mapping', () => {
    const result = loadConfig(schema, { file: { path: 'list.yaml', text: '- a\n- b\n' }, env: {}, envMap });
    expect(!result.ok && result.code).toBe('config_unparsable');
  });

  it('ignores empty environment variables and freezes the result', () => {
    const result = loadConfig(schema, { env: { APP_NAME: 'n', APP_PORT: '' }, envMap });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.mqtt.port).toBe(1883);
      expect(Object.isFrozen(result.value.mqtt)).toBe(true);
    }
  });
});
