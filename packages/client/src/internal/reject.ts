/**
 * Runs `start` and returns its promise; a synchronous throw (a bad argument) becomes a rejection,
 * so a non-async method fails the way an async one would.
 */
export function rejectOnThrow<T>(start: () => Promise<T>): Promise<T> {
  try {
    return start();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
