import { access, readFile } from 'node:fs/promises';

/** The agent's window on /proc and /sys, injected so tests can use a fake tree. */
export interface FileReader {
  readText(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
}

export const nodeFileReader: FileReader = {
  readText: (path) => readFile(path, 'utf8'),
  async exists(path) {
    try {
      await access(path);
      return true;
    } catch {
      return false;
    }
  },
};
