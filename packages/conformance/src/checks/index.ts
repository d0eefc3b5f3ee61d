import type { Check } from '../check.js';
import { authChecks } from './auth.js';
import { lifecycleChecks } from './lifecycle.js';
import { paginationChecks } from './pagination.js';
import { taskChecks } from './tasks.js';
import { validationChecks } from './validation.js';
import { webhookChecks } from './webhook.js';

/** Every check, in the order a run executes them. */
export const ALL_CHECKS: readonly Check[] = [
  ...authChecks,
  ...taskChecks,
  ...validationChecks,
  ...paginationChecks,
  ...lifecycleChecks,
  ...webhookChecks,
];
