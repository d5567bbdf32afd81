import { afterEach, beforeEach } from 'vitest';
import { createOntapClient, type OntapClient, type OntapClientOptions } from '../../adapters/ontap/index.js';
import { startSimulator, type Simulator } from '../../src/testing/index.js';

/** The credentials every harness client sends. */
export const TEST_AUTH = Object.freeze({ username: 'admin', password: 'pw-123456' });
/** Per-request retries fast enough for tests. */
export const FAST_RETRY = Object.freeze({ retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 });

export interface OntapHarness {
  sim: Simulator;
  ontap: OntapClient;
}

/**
 * A fresh simulator and ONTAP client for every test, both closed after it (with every client made
 * by `connect`). `onReady` receives them before each test.
 */
export function useOntapHarness(onReady: (harness: OntapHarness) => void): { connect(baseUrl: string | URL, extra?: Partial<OntapClientOptions>): OntapClient } {
  const toClose: { close(): Promise<void> }[] = [];
  let sim: Simulator | undefined;
  const connect = (baseUrl: string | URL, extra: Partial<OntapClientOptions> = {}): OntapClient => {
    const client = createOntapClient({ baseUrl, auth: { ...TEST_AUTH }, retry: { ...FAST_RETRY }, ...extra });
    toClose.push(client);
    return client;
  };
  beforeEach(async () => {
    sim = await startSimulator();
    onReady({ sim, ontap: connect(sim.url) });
  });
  afterEach(async () => {
    for (const resource of toClose.splice(0)) await resource.close();
    await sim?.close();
  });
  return { connect };
}

export { rejectionOf } from './promises.js';
