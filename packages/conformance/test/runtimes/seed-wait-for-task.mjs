// The seed's own polling helper, copied verbatim from docs/spec/eggapi-async-tasks.md ("Polling
// Helper"; shared/spec/ in the steering repo holds the same file). Do not edit it: the
// runtime tests prove that this code, unchanged, gets a completed task from each runtime (they
// point its hard-coded https://api.eggapi.ai at the runtime with a fetch wrapper), and
// seed-wait-for-task.test.ts fails when it differs from the spec by one character.
// prettier-ignore
async function waitForTask(taskId, apiKey, timeoutMs = 300000) {
  const start = Date.now();

  while (Date.now() - start < timeoutMs) {
    const response = await fetch(`https://api.eggapi.ai/v1/tasks/${taskId}`, {
      headers: { "Authorization": `Bearer ${apiKey}` }
    });
    const { data, error } = await response.json();

    if (error) throw new Error(error.message);
    if (data.status === "completed") return data;
    if (data.status === "failed") throw new Error(data.error || "Task failed");

    await new Promise((resolve) => setTimeout(resolve, 3000));
  }

  throw new Error("Task timed out");
}

export { waitForTask };
