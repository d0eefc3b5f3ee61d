/** Where the store keeps each thing, under `{prefix}:state:` (the job queue lives beside it). */
export function storeKeys(prefix: string) {
  const root = `${prefix}:state:`;
  return {
    /** The owner-id salt: outside the state, so a reset keeps it (instances cache it). */
    salt: `${prefix}:salt`,
    /** Every key of this store (reset deletes them), as a SCAN pattern. */
    pattern: `${escapeGlob(root)}*`,
    initialized: `${root}initialized`,
    config: `${root}config`,
    balances: `${root}balances`,
    faults: `${root}faults`,
    faultHeaders: `${root}fault-headers`,
    faultHeaderOrder: `${root}fault-headers:order`,
    rate: (windowStart: number, client: string) => `${root}rate:${windowStart}:${client}`,
    answer: (owner: string, key: string) => `${root}idempotency:${owner}\n${key}`,
    log: (name: string) => ({
      item: `${root}${name}:item:`,
      owner: `${root}${name}:owner:`,
      order: `${root}${name}:order`,
      seq: `${root}${name}:seq`,
      unended: `${root}${name}:unended`,
    }),
    delivery: `${root}delivery:`,
    deliveryOrder: `${root}deliveries:order`,
    deliveriesPending: `${root}deliveries:pending`,
    /** The request journal: a list, newest first, capped by LTRIM. */
    journal: `${root}journal`,
  };
}

export type StoreKeys = ReturnType<typeof storeKeys>;

/** A prefix taken literally in a SCAN pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
