export { createFetchHandler as createMockHandler } from '@eggapi/mock-engine';
