/**
 * Polls a real-world condition (a server answering, a row arriving) until it holds or the deadline
 * passes. Only integration tests use it; unit tests drive a fake clock instead. The default deadline
 * is generous: it only bounds a failure, and a loaded 2-core machine runs several times slower.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
  pollMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
