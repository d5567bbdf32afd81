/** `ontap job 1cd8a442-…` in messages. @internal */
export function describeJob(vendor: string | undefined, jobId: string): string {
  return `${vendor ? `${vendor} ` : ''}job ${JSON.stringify(truncate(jobId, 120))}`;
}

/** @internal */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `running ("Creating node backups")`: the last state seen, for messages. @internal */
export function describeLastState(job: { state: string; vendorState: string; message?: string | undefined } | undefined): string {
  if (!job) return 'never seen';
  const vendorState = job.vendorState !== job.state ? ` / ${job.vendorState}` : '';
  return `last state ${job.state}${vendorState}${job.message ? ` (${JSON.stringify(truncate(job.message, 200))})` : ''}`;
}
