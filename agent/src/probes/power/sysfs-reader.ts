import { readdir, readFile } from 'node:fs/promises';

/** Reads sysfs attributes and lists its directories; the root comes from config, so tests use a temp tree. */
export interface SysfsReader {
  readText(path: string): Promise<string>;
  list(dir: string): Promise<string[]>;
}

export const nodeSysfsReader: SysfsReader = {
  readText: (path) => readFile(path, 'utf8'),
  list: (dir) => readdir(dir),
};

/**
 * The directory under `classDir` whose `name` attribute is `name` (hwmon0, iio:device1, ...). The
 * kernel numbers these in probe order, which can change from boot to boot; the name does not.
 */
export async function findByName(sysfs: SysfsReader, classDir: string, name: string): Promise<string | null> {
  let entries: string[];
  try {
    entries = await sysfs.list(classDir);
  } catch {
    return null;
  }
  for (const entry of entries.sort()) {
    const dir = `${classDir}/${entry}`;
    const found = await sysfs.readText(`${dir}/name`).then(
      (text) => text.trim() === name,
      () => false,
    );
    if (found) return dir;
  }
  return null;
}

/** An attribute holding one integer (sysfs prints them in decimal with a newline). */
export async function readNumber(sysfs: SysfsReader, path: string): Promise<number> {
  const text = (await sysfs.readText(path)).trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new Error(`${path} holds "${text.slice(0, 32)}", not a number`);
  return value;
}
