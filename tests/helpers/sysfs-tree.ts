import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fake sysfs in a temporary directory: `files` maps paths under the root to their contents. */
export function makeSysfsTree(files: Record<string, string>): {
  root: string;
  write(path: string, text: string): void;
  remove(path: string): void;
  cleanup(): void;
} {
  const root = mkdtempSync(join(tmpdir(), 'pantau-sysfs-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  return {
    root,
    write,
    remove: (path) => rmSync(join(root, path), { force: true }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
