import type { Logger } from '@pantau/shared';
import type { CounterFile } from './counter-file.js';

/**
 * Connection epochs, saved before use so they only grow across restarts. A disk that refuses the
 * write (full, read-only) must not keep the site offline: the next number is used unsaved (a
 * later run may hand it out again, so a will of that run could look current until the site's
 * next status), and saving is tried again at the next connection.
 */
export function createEpochSource(counter: CounterFile, log: Logger): () => number {
  let unsaved = false;
  return () => {
    try {
      const epoch = counter.next();
      if (unsaved) log.info({ event: 'epoch_saved', epoch }, 'the connection epoch is saved again');
      unsaved = false;
      return epoch;
    } catch (error) {
      if (!unsaved) {
        log.warn(
          { event: 'epoch_not_saved', epoch: counter.last, err: (error as Error).message },
          'cannot save the connection epoch (the data folder is full or read-only): connecting with it unsaved',
        );
      }
      unsaved = true;
      return counter.last;
    }
  };
}
