import { parseCollectorArgs } from '@pantau/collector';
import { describe, expect, it } from 'vitest';
import { parseAgentArgs } from '../../../agent/src/cli.js';

describe('pantau-agent arguments', () => {
  it('runs with a config file, from the flag or PANTAU_CONFIG', () => {
    expect(parseAgentArgs(['run', '--config', 'a.yaml'], {})).toEqual({ kind: 'run', configPath: 'a.yaml' });
    expect(parseAgentArgs(['run'], { PANTAU_CONFIG: 'b.yaml' })).toEqual({ kind: 'run', configPath: 'b.yaml' });
    expect(parseAgentArgs(['run'], {})).toEqual({ kind: 'run', configPath: undefined });
  });

  it('shows help with no command, and refuses unknown ones', () => {
    expect(parseAgentArgs([], {}).kind).toBe('help');
    expect(parseAgentArgs(['--help'], {}).kind).toBe('help');
    expect(parseAgentArgs(['launch'], {})).toEqual({ kind: 'usage_error', message: 'unknown command: launch' });
    expect(parseAgentArgs(['run', '--bogus'], {}).kind).toBe('usage_error');
  });
});

describe('pantau-collector arguments', () => {
  it('parses sites with --db and --json', () => {
    expect(parseCollectorArgs(['sites', '--db', 'x.sqlite', '--json'], {})).toEqual({
      kind: 'sites',
      configPath: undefined,
      dbPath: 'x.sqlite',
      json: true,
    });
  });

  it('parses the demo options and refuses bad numbers', () => {
    expect(parseCollectorArgs(['demo', '--samples', '2'], {})).toEqual({
      kind: 'demo',
      dir: '.pantau-demo',
      samples: 2,
      intervalSec: 5,
      agent: 'pantau-agent',
      fleet: null,
    });
    expect(parseCollectorArgs(['demo', '--agent', 'agent/bin/pantau-agent.js'], {})).toMatchObject({
      agent: 'agent/bin/pantau-agent.js',
    });
    expect(parseCollectorArgs(['demo', '--fleet', 'sim.js'], {})).toMatchObject({
      fleet: { script: 'sim.js', sites: 20 },
    });
    expect(parseCollectorArgs(['demo', '--fleet', 'sim.js', '--fleet-sites', '5'], {})).toMatchObject({
      fleet: { script: 'sim.js', sites: 5 },
    });
    expect(parseCollectorArgs(['demo', '--fleet-sites', '0'], {}).kind).toBe('usage_error');
    expect(parseCollectorArgs(['demo', '--samples', 'two'], {}).kind).toBe('usage_error');
  });
});
