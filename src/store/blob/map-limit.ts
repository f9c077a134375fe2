/**
 * Runs `task` over `items` with at most `limit` running at once.
 *
 * @remarks
 * After the first failure no new task starts, but running ones are awaited before the error is
 * rethrown: a caller that cleans up after a failed batch must not race tasks still writing.
 */
export async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const state: { next: number; failure: { error: unknown } | undefined } = {
    next: 0,
    failure: undefined,
  };
  const worker = async (): Promise<void> => {
    while (state.failure === undefined && state.next < items.length) {
      const index = state.next++;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        state.failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (state.failure !== undefined) throw state.failure.error;
}
