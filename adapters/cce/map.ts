import { isTerminal, progressOf, type Job, type JobError, type Task } from '../../src/model/job.js';
import { parseHuaweiTime } from '../huawei/time.js';
import type { CceJobRaw, CceSubJobRaw } from './schemas.js';
import { mapCcePhase } from './state.js';

/** A CCE job, normalized. */
export type CceJob = Job<CceJobRaw>;

/** Normalizes a validated CCE job; sub-jobs become `tasks`, recursively. */
export function toCceJob(raw: CceJobRaw): CceJob {
  const state = mapCcePhase(raw.status.phase);
  const tasks = toTasks(raw.spec?.subJobs, raw.metadata.uid);
  const job: CceJob = { vendor: 'cce', id: raw.metadata.uid, state, vendorState: raw.status.phase, tasks, raw };
  if (raw.spec?.type) job.type = raw.spec.type;
  if (raw.spec?.resourceName) job.description = raw.spec.resourceName;
  // The text (`message`) before the short cause (`reason`), as in `error`.
  const text = raw.status.message || raw.status.reason || undefined;
  if (text !== undefined) job.message = text;
  if (state === 'failed') job.error = failure(raw.status, tasks);
  const progress = progressOf(tasks);
  if (progress) job.progress = progress;
  const createdAt = parseHuaweiTime(raw.metadata.creationTimestamp);
  if (createdAt) job.createdAt = createdAt;
  const updatedAt = parseHuaweiTime(raw.metadata.updateTimestamp);
  if (updatedAt) {
    job.updatedAt = updatedAt;
    if (isTerminal(state)) job.endedAt = updatedAt;
  }
  return job;
}

function toTasks(subJobs: CceSubJobRaw[] | undefined, parentId: string): Task[] {
  return (subJobs ?? []).map((sub, index) => {
    const phase = sub.status?.phase ?? '';
    const state = mapCcePhase(phase);
    const id = sub.metadata?.uid || `${parentId}/${index}`;
    const task: Task = { id, index, state, vendorState: phase, tasks: toTasks(sub.spec?.subJobs, id) };
    if (sub.spec?.type) task.type = sub.spec.type;
    if (sub.spec?.resourceName) task.name = sub.spec.resourceName;
    const text = sub.status?.message || sub.status?.reason || undefined;
    if (text !== undefined) task.message = text;
    if (state === 'failed') task.error = failure(sub.status ?? {}, task.tasks);
    const createdAt = parseHuaweiTime(sub.metadata?.creationTimestamp);
    if (createdAt) task.createdAt = createdAt;
    const updatedAt = parseHuaweiTime(sub.metadata?.updateTimestamp);
    if (updatedAt) task.updatedAt = updatedAt;
    return task;
  });
}

/** A failed job's error: its own reason/message, else the first failed sub-job's. */
function failure(status: { reason?: string | undefined; message?: string | undefined }, tasks: Task[]): JobError {
  const reason = status.reason || undefined;
  const message = status.message || undefined;
  if (reason !== undefined || message !== undefined) {
    const error: JobError = { message: message ?? (reason as string) };
    // CCE puts a short cause in `reason` and the text in `message` when it has both.
    if (reason !== undefined && message !== undefined && reason !== message) error.code = reason;
    return error;
  }
  const failedTask = tasks.find((task) => task.state === 'failed');
  if (failedTask?.error) return { ...failedTask.error, target: failedTask.error.target ?? failedTask.type ?? failedTask.id };
  return { message: 'the job failed' };
}
