/**
 * Waits for a condition (an expectation that stops throwing, or an async one that stops rejecting), polling every
 * 50 ms; the test's timeout bounds it.
 */
export async function eventually(check: () => void | Promise<void>): Promise<void> {
  for (;;) {
    try {
      await check();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
