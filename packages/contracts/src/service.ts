/**
 * The real EggAPI service's base URL: the client's default, the OpenAPI document's server, and
 * where the mock's MSW handlers answer unless told otherwise (so production code runs unchanged).
 */
export const UPSTREAM_BASE_URL = 'https://api.eggapi.ai';
