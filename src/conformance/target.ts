import type { JobClient } from '../client/job-client.js';
import type { JobState } from '../model/job.js';

/**
 * One server for one conformance case, set up by the adapter's author (a simulator, a recorded
 * fake): jobs scripted on it, a client of it, and HTTP answers forced on it.
 */
export interface ConformanceFixture {
  /** A client of the fixture's server that holds {@link ConformanceFixture.secrets}. */
  client(): JobClient;
  /** The credentials that client holds (passwords, tokens, secret keys): no error may show them. */
  readonly secrets: readonly string[];
  /** Scripts a job that goes queued, then running, then succeeded, one step per poll; returns its id. */
  succeeding(): string | Promise<string>;
  /** Scripts a job that goes queued, then running, then failed with the vendor's error message. */
  failing(): string | Promise<string>;
  /** Scripts a job that stays running. */
  running(): string | Promise<string>;
  /** An id the vendor accepts but does not have. */
  readonly missing: string;
  /** Makes the next `times` requests for a job answer HTTP `status`, with `headers`, whatever the job. */
  answer(status: number, times: number, headers?: Readonly<Record<string, string>>): void;
  /** Makes the server refuse the client's credentials in the vendor's own way (optional: a case runs when given). */
  refuseCredentials?(): void;
  /** How many requests the server received so far. */
  requestCount(): number;
  /** Stops the server and the client. */
  close(): Promise<void>;
}

/** The adapter under test: its name, its state mapping, and how to set up a fixture. */
export interface ConformanceTarget {
  /** The vendor name the adapter's jobs carry (`Job.vendor`). */
  readonly vendor: string;
  /** Every state word the vendor documents, and the normalized state it must map to. */
  readonly states: Readonly<Record<string, JobState>>;
  /** The adapter's state mapping. */
  mapState(word: string): JobState;
  /** Sets up a fresh fixture; each case sets up its own and closes it. */
  setup(): Promise<ConformanceFixture>;
}

/** One conformance case: a sentence and a check that rejects (an `AssertionError`) when the adapter fails it. */
export interface ConformanceCase {
  /** What the adapter must do, as a sentence. */
  readonly name: string;
  /** Runs the check; resolves when the adapter passes. */
  run(): Promise<void>;
}

/** What {@link runConformance} found. */
export interface ConformanceReport {
  /** The vendor checked. */
  readonly vendor: string;
  /** Whether every case passed. */
  readonly ok: boolean;
  /** Every case, in order, with its error when it failed. */
  readonly results: readonly {
    /** The case's sentence. */
    readonly name: string;
    /** Whether it passed. */
    readonly passed: boolean;
    /** Why it failed. */
    readonly error?: unknown;
  }[];
}
