import { isTerminal, parseIsoDate, type Job, type JobError, type Task } from '../../src/model/job.js';
import type { CasJobRaw, CasTaskRecord } from './schemas.js';
import { mapCasJobState, mapCasTaskState } from './state.js';

/** A ServiceStage job, normalized. */
export type CasJob = Job<CasJobRaw>;

/** What a task's `MESSAGES` says: `{ "Message": code, "Detail": text }`, or text that is not that. */
export interface CasTaskMessages {
  /** The `Message` field: the vendor's message code, when `MESSAGES` has that shape. */
  code?: string;
  /** The `Detail` field, or the whole text when `MESSAGES` is not that shape. */
  detail?: string;
}

/**
 * Reads a task's `MESSAGES`, a JSON string (`{ "Message" : "ECC00011", "Detail" : "Building failed." }`).
 * Malformed JSON is kept as text (`detail`); it never throws.
 */
export function parseCasMessages(text: string | undefined): CasTaskMessages {
  if (text === undefined || text.trim() === '' || text.trim() === '{}') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { detail: text };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { detail: text };
  const record = parsed as Record<string, unknown>;
  const read = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = record[key] ?? record[key.toLowerCase()] ?? record[key.toUpperCase()];
      if (typeof value === 'string' && value !== '') return value;
      if (typeof value === 'number') return String(value);
    }
    return undefined;
  };
  const messages: CasTaskMessages = {};
  const code = read('Message', 'Code', 'ErrorCode');
  const detail = read('Detail', 'Details', 'Reason');
  if (code !== undefined) messages.code = code;
  if (detail !== undefined) messages.detail = detail;
  return messages;
}

/** Normalizes a validated answer (with every page's tasks). Tasks are sorted by `TASK_INDEX`. */
export function toCasJob(raw: CasJobRaw): CasJob {
  const tasks = raw.tasks.map(toCasTask).sort((a, b) => (a.index ?? Infinity) - (b.index ?? Infinity));
  const state = mapCasJobState(raw.job.EXECUTION_STATUS);
  const job: CasJob = { vendor: 'cas', id: raw.job.JOB_ID, state, vendorState: raw.job.EXECUTION_STATUS, tasks, raw };
  if (raw.job.JOB_TYPE !== undefined) job.type = raw.job.JOB_TYPE;
  const description = raw.job.JOB_DESC || raw.job.JOB_NAME;
  if (description) job.description = description;

  const failedTask = tasks.find((task) => task.state === 'failed');
  if (state === 'failed' || state === 'cancelled') {
    const error: JobError = failedTask?.error ?? { message: failedTask?.message ?? `the job ended ${raw.job.EXECUTION_STATUS}` };
    if (state === 'failed') job.error = error;
    job.message = error.message;
  } else {
    const current = tasks.find((task) => task.state === 'running');
    if (current?.name !== undefined) job.message = current.message ?? current.name;
  }

  const total = Math.max(raw.task_count ?? 0, tasks.length);
  if (total > 0) job.progress = { completed: tasks.filter((task) => isTerminal(task.state)).length, total };
  const created = tasks.map((task) => task.createdAt).filter((d): d is Date => d !== undefined);
  const updated = tasks.map((task) => task.updatedAt ?? task.createdAt).filter((d): d is Date => d !== undefined);
  if (created.length > 0) job.startedAt = new Date(Math.min(...created.map(Number)));
  if (updated.length > 0) {
    job.updatedAt = new Date(Math.max(...updated.map(Number)));
    if (isTerminal(state)) job.endedAt = job.updatedAt;
  }
  return job;
}

function toCasTask(raw: CasTaskRecord): Task {
  const state = mapCasTaskState(raw.TASK_STATUS);
  const task: Task = { id: raw.TASK_ID, state, vendorState: raw.TASK_STATUS, tasks: [] };
  if (raw.TASK_NAME !== undefined) task.name = raw.TASK_NAME;
  if (raw.TASK_TYPE !== undefined) task.type = raw.TASK_TYPE;
  if (raw.TASK_INDEX !== undefined) task.index = raw.TASK_INDEX;
  const messages = parseCasMessages(raw.MESSAGES);
  const text = messages.detail ?? messages.code;
  if (text !== undefined) task.message = text;
  if (state === 'failed') {
    const error: JobError = { message: messages.detail ?? messages.code ?? `task ${raw.TASK_NAME ?? raw.TASK_ID} failed` };
    if (messages.code !== undefined) error.code = messages.code;
    if (raw.TASK_NAME !== undefined) error.target = raw.TASK_NAME;
    task.error = error;
  }
  const createdAt = parseIsoDate(raw.CREATED_AT);
  if (createdAt) task.createdAt = createdAt;
  const updatedAt = parseIsoDate(raw.LAST_HEALTH_CHECK);
  if (updatedAt) task.updatedAt = updatedAt;
  return task;
}
