import { execFileRunner } from '@pantau/agent';
import { ok } from '@pantau/shared';
import { describe, expect, it } from 'vitest';
import { createCommandDriver } from '../../../../agent/src/probes/power/command-driver.js';
import { FakeCommandRunner } from '../../../helpers/power-fakes.js';

const never = new AbortController().signal;
const options = { file: '/usr/local/bin/battery', args: ['--json'], timeoutMs: 3000, maxOutputBytes: 16_384 };

describe('command driver', () => {
  it('reads the figures the command prints and ignores keys it does not know', async () => {
    const runner = new FakeCommandRunner({
      '/usr/local/bin/battery': ok('{"batteryVolts":12.6,"batteryAmps":-0.8,"chargeState":"float","model":"x"}\n'),
    });
    const result = await createCommandDriver(runner, options).read(never);
    expect(result).toMatchObject({
      values: { batteryVolts: 12.6, batteryAmps: -0.8, chargeState: 'float', batteryTempCelsius: null },
      error: null,
    });
    expect(result.values).not.toHaveProperty('model');
    expect(runner.requests[0]).toMatchObject({ file: '/usr/local/bin/battery', args: ['--json'], timeoutMs: 3000 });
  });

  it.each([
    ['not JSON', 'volts=12.6'],
    ['a wrong type', '{"batteryVolts":"12.6"}'],
    ['a fraction where an integer belongs', '{"chargerError":1.5}'],
    ['not an object', '[12.6]'],
    ['empty output', ''],
  ])('says command_bad_output for %s', async (_what, stdout) => {
    const runner = new FakeCommandRunner({ '/usr/local/bin/battery': ok(stdout) });
    expect(await createCommandDriver(runner, options).read(never)).toMatchObject({
      error: 'command_bad_output',
      values: {},
    });
  });

  it('passes the runner failure code on', async () => {
    const result = await createCommandDriver(new FakeCommandRunner(), options).read(never);
    expect(result).toMatchObject({ error: 'command_missing' });
  });
});

describe('node command runner (real processes)', () => {
  const runner = execFileRunner;
  const node = (script: string, extra: Partial<typeof options> = {}) =>
    runner.run({ ...options, file: process.execPath, args: ['-e', script], ...extra }, never);

  it('returns what the program printed', async () => {
    expect(await node('process.stdout.write(JSON.stringify({ batteryVolts: 13.1 }))')).toEqual(
      ok('{"batteryVolts":13.1}'),
    );
  });

  it('says command_failed for a non-zero exit and command_missing for a program that does not exist', async () => {
    expect(await node('process.exit(3)')).toMatchObject({ ok: false, code: 'command_failed' });
    const missing = await runner.run({ ...options, file: '/nonexistent/battery' }, never);
    expect(missing).toMatchObject({ ok: false, code: 'command_missing' });
  });

  it('says command_timeout and kills a program that hangs', async () => {
    const started = Date.now();
    expect(await node('setInterval(() => {}, 1000)', { timeoutMs: 300 })).toMatchObject({
      ok: false,
      code: 'command_timeout',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says command_timeout when the caller aborts', async () => {
    const controller = new AbortController();
    const running = runner.run(
      { ...options, file: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] },
      controller.signal,
    );
    setTimeout(() => controller.abort(), 100);
    expect(await running).toMatchObject({ ok: false, code: 'command_timeout' });
  });

  it('says command_bad_output when the output outgrows its bound', async () => {
    expect(await node("process.stdout.write('x'.repeat(100000))", { maxOutputBytes: 1024 })).toMatchObject({
      ok: false,
      code: 'command_bad_output',
    });
  });
});
