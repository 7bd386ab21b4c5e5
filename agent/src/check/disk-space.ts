import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '@pantau/shared';

/** Free bytes where the agent keeps its data, after proving it can write there. */
export async function diskSpace(dataDir: string): Promise<Result<{ freeBytes: number }, 'disk_unwritable'>> {
  try {
    await mkdir(dataDir, { recursive: true });
    const probe = join(dataDir, `.check-${process.pid}`);
    await writeFile(probe, 'pantau');
    await rm(probe);
    const stats = await statfs(dataDir);
    return ok({ freeBytes: stats.bavail * stats.bsize });
  } catch (error) {
    return fail('disk_unwritable', `${dataDir}: ${(error as Error).message}`);
  }
}
