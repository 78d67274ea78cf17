/** Waits for a condition (an expectation that stops throwing), polling every 50 ms; the test's timeout bounds it. */
export async function eventually(check: () => void): Promise<void> {
  for (;;) {
    try {
      check();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
