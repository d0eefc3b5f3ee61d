/** The seed's polling helper (seed-wait-for-task.mjs): the task's `data` once it completed. */
export function waitForTask(taskId: string, apiKey: string, timeoutMs?: number): Promise<any>;
