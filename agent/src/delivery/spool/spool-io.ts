import { fdatasync, writeSync } from 'node:fs';

/**
 * The two calls that put spool bytes on the disk, injected so a test can make the disk fill up
 * (ENOSPC) at a chosen byte without filling a real file system.
 */
export interface SpoolIo {
  /** Writes all of `data` at the end of the file, or throws (e.g. ENOSPC) having written a part. */
  append(fd: number, data: Buffer): void;
  /**
   * Resolves once the data is on the storage device. Asynchronous: on an SD card an fdatasync
   * takes tens of milliseconds, which would block the event loop.
   */
  sync(fd: number): Promise<void>;
}

export const nodeSpoolIo: SpoolIo = {
  append(fd, data) {
    let done = 0;
    while (done < data.byteLength) done += writeSync(fd, data, done, data.byteLength - done);
  },
  sync: (fd) =>
    new Promise((resolve, reject) => {
      fdatasync(fd, (error) => (error === null ? resolve() : reject(error)));
    }),
};

/** Errors that mean "the disk is full" rather than "the disk is broken". */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
