import { join } from 'node:path';
import { openSqliteStore, openSqliteStoreInWorker } from '@pantau/collector';
import { afterAll } from 'vitest';
import { reportBuildContract } from '../../../contract/report-build.contract.js';
import { reportMonthContract } from '../../../contract/report-month.contract.js';
import { tempDirs } from '../../../helpers/temp-dirs.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());
const freshPath = () => join(dirs.make('report'), 'pantau.sqlite');

reportBuildContract('SQLite', async () => openSqliteStore(freshPath()));
reportBuildContract('SQLite on a worker thread', () => openSqliteStoreInWorker(freshPath()));
reportMonthContract('SQLite', async () => openSqliteStore(freshPath()));
reportMonthContract('SQLite on a worker thread', () => openSqliteStoreInWorker(freshPath()));
