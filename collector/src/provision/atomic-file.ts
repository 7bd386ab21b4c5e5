import { randomBytes } from 'node:crypto';
import { chown, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface FileOwner {
  /** The group the file is given (the broker's, so that it reads the file after dropping root). */
  readonly gid: number | null;
  /** 0o640 with a group, 0o600 without. */
  readonly mode: number;
}

/**
 * Replaces `path` with `text` so that a reader sees the old file or the new one, never a part: a
 * temporary file beside it, written, given its mode and group, flushed, then renamed over it, and
 * the folder flushed so the rename survives a power cut.
 */
export async function writeFileAtomic(path: string, text: string, owner: FileOwner): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temp, 'wx', owner.mode);
  try {
    await file.writeFile(text);
    await file.chmod(owner.mode);
    if (owner.gid !== null) await chown(temp, -1, owner.gid);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const folder = await open(dirname(path), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
