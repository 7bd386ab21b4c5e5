import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../../agent/src/clock.js';
import { createCalendar } from '../../../../agent/src/schedule/calendar.js';
import { silentLogger } from '../../../helpers/fakes.js';

// Counts node-cron's loading: it holds megabytes of ICU data resident once it schedules.
const cronLoads = vi.hoisted(() => ({ count: 0 }));
vi.mock('node-cron', async (importOriginal) => {
  cronLoads.count += 1;
  return importOriginal();
});

describe('the calendar loads node-cron only for a cron expression', () => {
  it('schedules a daily job without node-cron, and a configured expression with it', async () => {
    const calendar = createCalendar({ clock: systemClock, log: silentLogger() });
    const stopDaily = calendar.schedule({ kind: 'daily', minuteOfDay: 180 }, async () => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cronLoads.count).toBe(0);
    stopDaily();
    const stopCron = calendar.schedule({ kind: 'cron', expression: '0 0 3 * * *' }, async () => {});
    await vi.waitFor(() => expect(cronLoads.count).toBe(1));
    stopCron();
  });
});
