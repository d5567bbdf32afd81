import type { RequestHandler } from 'msw';
import type { ZodType } from 'zod';
import type { JobClient } from '../client/job-client.js';
import type { WaitOptions } from '../engine/options.js';
import type { Job, JobState } from '../model/job.js';
import type { ClientOptions, TlsOptions } from '../transport/client-options.js';
import type { Logger } from '../transport/logger.js';

/**
 * A vendor's simulated job API: scripted jobs behind msw request handlers, served by the loopback
 * simulator. Each simulation answers on any origin and only for its own paths.
 * @internal
 */
export interface VendorSimulation {
  /** The msw request handlers of the vendor's API. */
  handlers(): RequestHandler[];
  /** Forgets every scripted job and any credential the simulation demands. */
  reset(): void;
}

/** A vendor's job states: every documented word and its normalized state. @internal */
export interface VendorStates {
  /** Every state word the vendor documents, and the normalized state it maps to. */
  readonly known: Readonly<Record<string, JobState>>;
  /** Maps a state word as the vendor sends it; a word the vendor does not document maps to `unknown`. */
  map(word: string): JobState;
}

/**
 * The vendor's simulator, and the jobs and settings the cross-vendor conformance suite scripts on
 * it. `load` imports the simulation lazily: the CLI reaches descriptors without loading `msw`.
 * @internal
 */
export interface VendorSimulator<C extends JobClient, S extends VendorSimulation> {
  /** A new simulation of the vendor's API. */
  load(): Promise<S>;
  /** The path part that addresses a job, to aim the simulator's faults. */
  readonly jobPath: string;
  /** A client of the simulator at `url` whose credential is `credential` (a password or a token). */
  client(url: string, credential: string, options?: ClientOptions): C;
  /** Makes the simulation demand `credential`: a client holding another one is refused. */
  demandCredential(sim: S, credential: string): void;
  /** Scripts a job that goes queued, running, succeeded, one step per poll. */
  succeeding(sim: S): string;
  /** Scripts a job that goes queued, running, failed with a vendor error message. */
  failing(sim: S): string;
  /** Scripts a job that stays running. */
  running(sim: S): string;
  /** An id the vendor accepts but does not have. */
  readonly missing: string;
}

/**
 * What a descriptor reads from the command line and the environment, handed to it by the CLI.
 * @internal
 */
export interface VendorConfigInput {
  /** The value of a connection flag the descriptor declared; `undefined` (or `''`) when not given. */
  flag(name: string): string | boolean | undefined;
  /** An environment variable; `undefined` when unset or empty. */
  env(name: string): string | undefined;
  /** Reads all of stdin (for a secret piped in). */
  readStdin(): Promise<string>;
  /** Reads a file (a PEM certificate or key) whose path came from `source` (`--cert`); refuses, naming `source`, when it cannot. */
  readFile(path: string, source: string): Promise<Buffer>;
  /** Refuses the configuration: the CLI prints `message` as a usage error and exits 2. */
  refuse(message: string): never;
  /** TLS settings from `--ca` and `--insecure` (read when asked: after the descriptor's own checks). */
  tls(): Promise<TlsOptions | undefined>;
  /** Where the client's warnings go (stderr). */
  readonly logger: Logger;
  /** The client's `proxy`: `--proxy URL`, else `'env'` (HTTPS_PROXY, HTTP_PROXY, NO_PROXY). */
  readonly proxy: string;
}

/** The value of connection flag `name` when it is a non-empty string, else `undefined` (then a descriptor reads its variable). @internal */
export function stringFlag(input: Pick<VendorConfigInput, 'flag'>, name: string): string | undefined {
  const value = input.flag(name);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The vendor's jobs in `jobwait demo` and `jobwait simulate`. @internal */
export interface VendorScenario<C extends JobClient, S extends VendorSimulation> {
  /** Scripts the job `demo` waits on and `simulate` lists first; returns its id. */
  addJob(sim: S): string;
  /** How that job ends, as `simulate` says it (`succeeds`). */
  readonly ends: string;
  /** More jobs `simulate` scripts: their key in the `--json` output, id and what they do. */
  extraJobs?(sim: S): readonly VendorExtraJob[];
  /** Commands `simulate` suggests trying besides `wait`, given the scripted ids by key. */
  tryCommands?(jobs: Readonly<Record<string, string>>): readonly string[];
  /** The environment the CLI needs to reach the simulator at `url` with any credential. */
  environment(url: string): Readonly<Record<string, string>>;
  /** Values `simulate --json` prints beside the url (such as `projectId`). */
  readonly simulatorInfo?: Readonly<Record<string, string>>;
  /** Makes the simulation check the credentials the demo client holds (optional). */
  demoSetup?(sim: S): void;
  /** The demo's client of the simulator at `url`. */
  demoClient(url: string, options: ClientOptions): C;
  /** The outcome the demo expects, as its summary shows it. */
  readonly expected: string;
  /** Whether the demo's job ended as scripted. */
  matches(job: Job): boolean;
}

/** A job `simulate` scripts beside the scenario's. @internal */
export interface VendorExtraJob {
  /** Its key in `simulate --json`'s `jobs`. */
  readonly key: string;
  /** Its id. */
  readonly id: string;
  /** What it does, as `simulate` says it. */
  readonly note: string;
}

/**
 * A flag with a value that a vendor adds to one command (`list`'s filters, `wait`'s options), and
 * its line of that command's `--help`. @internal
 */
export interface VendorFlag {
  /** How the help writes it, with its value: `--svm NAME`. */
  readonly usage: string;
  /** What it does. */
  readonly text: string;
  /** What holds when it is not given. */
  readonly default: string;
}

/** The commands a vendor can add flags to. @internal */
export const VENDOR_COMMANDS = Object.freeze(['list', 'wait'] as const);

/** One of {@link VENDOR_COMMANDS}. @internal */
export type VendorCommand = (typeof VENDOR_COMMANDS)[number];

/** Whether `command` is one a vendor can add flags to. @internal */
export function isVendorCommand(command: string | undefined): command is VendorCommand {
  return (VENDOR_COMMANDS as readonly (string | undefined)[]).includes(command);
}

/** The flags `vendor` adds to each command, by name without `--`: `list`'s filters, `wait`'s options. @internal */
export function vendorCommandFlags(vendor: AnyVendorDescriptor): Readonly<Record<VendorCommand, Readonly<Record<string, VendorFlag>>>> {
  return { list: vendor.cli.jobs?.listFlags ?? {}, wait: vendor.cli.wait?.flags ?? {} };
}

/** The wait options of client `C` beyond the common `WaitOptions` (the CAS client's `instanceId`). @internal */
export type VendorWaitOptions<C extends JobClient> = Omit<NonNullable<Parameters<C['waitForJob']>[1]>, keyof WaitOptions>;

/** What a vendor's {@link VendorWaitFlags.options} reads: its own flags, and a way to refuse them. @internal */
export interface VendorFlagInput {
  /** The value of one of the vendor's flags of the command; `undefined` when not given. */
  flag(name: string): string | undefined;
  /** Refuses a value: the CLI prints `message` as a usage error and exits 2. */
  refuse(message: string): never;
}

/** The flags a vendor adds to `wait`, and the client's own wait options they stand for. @internal */
export interface VendorWaitFlags<C extends JobClient> {
  /** The flags, by name without `--`. */
  readonly flags: Readonly<Record<string, VendorFlag>>;
  /**
   * The options `wait` passes to the client's `waitForJob` for each id, from the flags given
   * (`{}` when none is). `waitForJobs` takes no vendor option: a wait with some is one
   * `waitForJob` per id.
   */
  options(input: VendorFlagInput): VendorWaitOptions<C>;
}

/** What `jobwait list` asks a vendor's {@link VendorJobCommands.list} for. @internal */
export interface VendorListQuery {
  /** `--state S`: the vendor's state words, `a|b` for any of them. */
  readonly state?: string | undefined;
  /** `--max-records N`: at most this many jobs. */
  readonly maxRecords?: number | undefined;
  /** The value of one of the vendor's {@link VendorJobCommands.listFlags}; `undefined` when not given. */
  flag(name: string): string | undefined;
}

/** The job commands beyond `wait` and `get` a vendor supports (`list`, `cancel`, `pause`, `resume`). @internal */
export interface VendorJobCommands<C extends JobClient> {
  /** The vendor's state words `--state` takes, for `--help`. */
  readonly stateHelp: string;
  /** What the vendor calls a job id in messages (`job uuid`). */
  readonly idLabel: string;
  /** `list`'s flags of this vendor alone (its filters), by name without `--`. */
  readonly listFlags?: Readonly<Record<string, VendorFlag>>;
  /**
   * Every job, every page, of the states `query.state` names (when given). With
   * `query.maxRecords`, the vendor's own limit where it has one (the CLI stops after that many jobs
   * anyway).
   */
  list(client: C, query: VendorListQuery, options: { signal: AbortSignal }): AsyncIterable<Job>;
  /** Asks the vendor to cancel, pause or resume the job. */
  act(client: C, action: 'cancel' | 'pause' | 'resume', id: string, options: { signal: AbortSignal }): Promise<void>;
}

/** What the `jobwait` command line needs of a vendor. @internal */
export interface VendorCli<C extends JobClient, S extends VendorSimulation> {
  /** The connection flags the vendor reads, and their type. Vendors may share a flag of one type. */
  readonly flags: Readonly<Record<string, 'string' | 'boolean'>>;
  /** Flags refused because they would carry a secret, and where the secret goes instead. */
  readonly secretFlags: Readonly<Record<string, string>>;
  /** The vendor's lines of `--help`'s connection section; vendors sharing one array print it once. */
  readonly help: readonly string[];
  /** A client from the flags and environment; refuses (through `input.refuse`) what is missing. */
  createClient(input: VendorConfigInput): Promise<C>;
  /** The vendor's jobs in `demo` and `simulate`. */
  readonly scenario: VendorScenario<C, S>;
  /** `list`, `cancel`, `pause`, `resume`, when the vendor has them. */
  readonly jobs?: VendorJobCommands<C>;
  /** The flags the vendor adds to `wait` (CAS: `--instance`), when it has some. */
  readonly wait?: VendorWaitFlags<C>;
}

/**
 * Everything jobwait knows of a vendor, from its own folder: the CLI, the simulator and the
 * conformance suite reach vendors only through descriptors, listed by one registry.
 * @internal
 */
export interface VendorDescriptor<C extends JobClient = JobClient, S extends VendorSimulation = VendorSimulation> {
  /** The vendor's name: `Job.vendor`, the CLI's vendor argument and the simulator's property. */
  readonly name: string;
  /** The vendor's name in messages (`ONTAP`). */
  readonly title: string;
  /** The client factory of the vendor's entry. */
  createClient(options: never): C;
  /** The vendor's zod schemas, by their exported name. */
  readonly schemas: Readonly<Record<string, ZodType>>;
  /** The vendor's state mapping. */
  readonly states: VendorStates;
  /** The vendor's simulator and conformance scripts. */
  readonly simulator: VendorSimulator<C, S>;
  /** What the command line needs. */
  readonly cli: VendorCli<C, S>;
}

/** Any vendor's descriptor, as the registry holds them. @internal */
export type AnyVendorDescriptor = VendorDescriptor<JobClient, VendorSimulation>;
