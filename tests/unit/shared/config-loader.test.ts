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

describe('loadConfig with a strict schema: a mistyped key is an error, with the key it most likely meant', () => {
  const strict = z.strictObject({
    name: z.string().default('n'),
    mqtt: z.strictObject({ url: z.string().default('mqtt://localhost'), username: z.string().optional() }).prefault({}),
    sample: z.strictObject({ intervalSec: z.int().default(60) }).prefault({}),
    targets: z.array(z.strictObject({ host: z.string() })).default([]),
  });
  const strictEnvMap: EnvMap = {
    APP_SAMPLE_INTERVAL_SEC: { path: ['sample', 'intervalSec'], type: 'number' },
    APP_TARGETS: { path: ['targets'], type: 'json' },
  };
  const load = (text: string, env: Record<string, string> = {}) =>
    loadConfig(strict, {
      file: { path: 'site.yaml', text },
      env,
      envMap: strictEnvMap,
      strictEnv: { prefix: 'APP_', knownElsewhere: ['APP_OTHER_PROGRAM'] },
    });
  const message = (result: ReturnType<typeof load>) => (result.ok ? '' : result.message);

  it('names a slip of the keyboard inside a section, with the file and line', () => {
    const result = load('name: a\nmqtt:\n  uri: mqtt://noc:1883\n');
    expect(!result.ok && result.code).toBe('config_invalid');
    expect(message(result)).toBe('mqtt.uri: unknown key; did you mean mqtt.url? (from file site.yaml, line 3)');
  });

  it('names a swapped pair of letters at the top level', () => {
    expect(message(load('sampel:\n  intervalSec: 30\n'))).toContain('sampel: unknown key; did you mean sample?');
  });

  it('finds a key written at the wrong level', () => {
    expect(message(load('intervalSec: 30\n'))).toContain('intervalSec: unknown key; did you mean sample.intervalSec?');
  });

  it('lists the valid keys when nothing is close', () => {
    expect(message(load('mqtt:\n  colour: blue\n'))).toContain(
      'mqtt.colour: unknown key; valid keys here: url, username (from file site.yaml, line 2)',
    );
  });

  it('finds unknown keys inside list items, from a file or an environment variable', () => {
    expect(message(load('targets:\n  - { hots: a }\n'))).toContain(
      'targets.0.hots: unknown key; did you mean targets.0.host? (from file site.yaml, line 2)',
    );
    expect(message(load('', { APP_TARGETS: '[{"host":"a","port":1}]' }))).toContain(
      'targets.0.port: unknown key; valid keys here: host (from environment APP_TARGETS)',
    );
  });

  it("refuses an environment variable no program reads, and lets another program's pass", () => {
    const result = load('name: a\n', { APP_SMAPLE_INTERVAL_SEC: '30', APP_OTHER_PROGRAM: 'x', OTHER: 'y' });
    expect(message(result)).toBe(
      'APP_SMAPLE_INTERVAL_SEC: unknown environment variable; did you mean APP_SAMPLE_INTERVAL_SEC? ' +
        '(from environment APP_SMAPLE_INTERVAL_SEC)',
    );
    expect(load('name: a\n', { APP_OTHER_PROGRAM: 'x', OTHER: 'y' }).ok).toBe(true);
  });

  it('reports every mistake at once', () => {
    const lines = message(load('sampel: {}\nmqtt: { uri: x }\n', { APP_SAMPLE_INTERVALSEC: '1' })).split('\n');
    expect(lines).toHaveLength(3);
  });
});
