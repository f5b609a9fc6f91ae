/**
 * Settle with `work`, or reject with `onTimeout()` once `ms` have passed. The timer is
 * cleared as soon as either happens, so it never outlives the request and never keeps a
 * Durable Object from hibernating. The work itself is not cancelled: JavaScript cannot stop
 * a running promise, which is why writes from a timed-out action are fenced elsewhere.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}
