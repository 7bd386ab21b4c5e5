import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** The commands of the README's "From a checkout" block, one a line. */
function checkoutCommands(): string[] {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const block = /From a checkout[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error('README.md has no "From a checkout" block');
  return block.trim().split('\n');
}

describe("the README's commands for a checkout, run as printed from the repository root", () => {
  // The line that reads the demo's database runs in tests/integration/demo.test.ts, as the demo
  // prints it for the folder the test gives it; here there is no demo database to read.
  const commands = checkoutCommands().filter((line) => !line.includes('.pantau-demo'));

  it('lists the commands', () => {
    expect(commands.length).toBeGreaterThanOrEqual(3);
  });

  it.each(commands)('%s', async (command) => {
    const { stdout } = await run('sh', ['-c', command], { cwd: root, timeout: 60_000 });
    expect(stdout).toMatch(/pantau-(agent|collector)|^\d+\.\d+\.\d+/m);
  });
});
