import type { Page, Task, WebhookEvent } from '@eggapi/contracts';
import type {
  AdminTask,
  ClockView,
  ConfigPatch,
  ConfigView,
  ContractViolation,
  Delivery,
  EngineHealth,
  FaultInput,
  JournalEntry,
  QueuedFault,
  VerifyRequest,
} from '@eggapi/mock-engine';
import { expectTypeOf } from 'vitest';
import {
  api,
  type AdminData,
  type AdminInput,
  type AdminRoute,
  type JournalEntry as ShownEntry,
} from './api.js';

/*
 * The console's view of the admin API is the contract's, so the engine's own types. Compile-time
 * assertions only, never run nor bundled: the typecheck target checks this file.
 */

/** Every route answers the engine's type, unwrapped from its envelope. */
export function answersAreTheEngines(): void {
  expectTypeOf<{ [R in AdminRoute]: AdminData<R> }>().toEqualTypeOf<{
    health: EngineHealth;
    config: ConfigView;
    configure: ConfigView;
    reset: { reset: true };
    faults: QueuedFault[];
    injectFault: QueuedFault[];
    clearFaults: [];
    deliveries: Delivery[];
    delivery: Delivery;
    redeliver: Delivery;
    tasks: Page<AdminTask>;
    keys: string[];
    events: never;
    task: AdminTask;
    completeTask: Task;
    failTask: Task;
    webhookEvent: WebhookEvent;
    clock: ClockView;
    advanceClock: ClockView;
    requests: Page<JournalEntry>;
    clearRequests: [];
    verifyRequests: JournalEntry[];
    violations: ContractViolation[];
  }>();
}

/** The Requests tab shows the engine's journal entries. */
export function entriesAreTheEngines(): void {
  expectTypeOf<ShownEntry>().toEqualTypeOf<JournalEntry>();
}

/** Requests take what the engine's schemas accept. */
export function requestsAreTheEngines(): void {
  expectTypeOf<AdminInput<'configure'>['body']>().toEqualTypeOf<ConfigPatch>();
  expectTypeOf<AdminInput<'injectFault'>['body']>().toEqualTypeOf<FaultInput>();
  expectTypeOf<AdminInput<'task'>>().toEqualTypeOf<{ params: { id: string } }>();
  expectTypeOf<AdminInput<'keys'>>().toEqualTypeOf<Record<never, never>>();
  expectTypeOf<AdminInput<'advanceClock'>['body']>().toEqualTypeOf<{ ms: number }>();
  expectTypeOf<AdminInput<'verifyRequests'>['body']>().toEqualTypeOf<VerifyRequest>();
}

/** Misuse does not compile. */
export function misuseFails(): void {
  // @ts-expect-error: no such admin route
  void api('tasks/123');
  // @ts-expect-error: a task is named by its id
  void api('task');
  // @ts-expect-error: timing is a preset or numbers
  void api('configure', { body: { timing: 'slow' } });
  // @ts-expect-error: the fault kinds are the contract's
  void api('injectFault', { body: { kind: '418' } });
  // @ts-expect-error: failing a task takes a message, not a status
  void api('failTask', { params: { id: 'gen_1' }, body: { status: 'failed' } });
  // @ts-expect-error: the clock moves by a number of milliseconds
  void api('advanceClock', { body: { ms: '1000' } });
}
