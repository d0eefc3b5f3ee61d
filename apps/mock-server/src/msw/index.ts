/**
 * `@eggapi/mock-server/msw`: moved to `@eggapi/mock-engine/msw` (the same API, without the Node
 * server's dependencies); re-exported here for one release.
 *
 * @deprecated import from `@eggapi/mock-engine/msw`
 */
export * from '@eggapi/mock-engine/msw';
