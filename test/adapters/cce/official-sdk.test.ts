import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException.js';
import { CceClient, ShowJobRequest } from '@huaweicloud/huaweicloud-sdk-cce';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';

// Huawei's own Node SDK signs as the real gateway expects (it signs `content-type`, and sends and
// signs `{}` as the body of a GET): the simulated gateway must let it through, and still refuse it
// when the secret key is wrong.
const PROJECT = '063a3158b1a34710b36ad208b9497d00';
const AK = 'OFFICIAL-SDK-AK';
const SK = 'official-sdk-secret-key';

/** A CCE client of the official SDK, with the project id given so it never asks IAM for it. */
function sdkClient(endpoint: string, secretKey = SK): CceClient {
  const credentials = new BasicCredentials().withAk(AK).withSk(secretKey).withProjectId(PROJECT);
  return CceClient.newBuilder().withCredential(credentials).withEndpoint(endpoint).build();
}

async function sdkError(call: Promise<unknown>): Promise<ClientRequestException> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ClientRequestException);
  return error as ClientRequestException;
}

describe("Huawei's official Node SDK against the simulated gateway with AK/SK auth", () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator();
    sim.cce.auth = { accessKey: AK, secretKey: SK };
  });
  afterEach(async () => {
    await sim.close();
  });

  it('reads a simulated job with showJob', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    const job = await sdkClient(sim.url).showJob(new ShowJobRequest().withJobId(uid));
    expect(job.metadata?.uid).toBe(uid);
    expect(job.status?.phase).toBe('Running');
    expect(sim.requests).toHaveLength(1);
    const [request] = sim.requests;
    expect(request?.headers['authorization']).toMatch(/^SDK-HMAC-SHA256 Access=OFFICIAL-SDK-AK, SignedHeaders=[^,]*content-type/);
    expect(request?.headers['host']).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("gets a 404 with CCE's error code for a job the simulator does not have", async () => {
    const error = await sdkError(sdkClient(sim.url).showJob(new ShowJobRequest().withJobId('no-such-job')));
    expect(error.httpStatusCode).toBe(404);
    expect(error.errorCode).toBe('CCE.01404001');
    expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gets a 401 APIGW.0301 when it signs with a wrong secret key', async () => {
    const uid = sim.cce.addJob({ steps: [{ phase: 'Running' }] });
    const error = await sdkError(sdkClient(sim.url, `${SK}-wrong`).showJob(new ShowJobRequest().withJobId(uid)));
    expect(error.httpStatusCode).toBe(401);
    expect(error.errorCode).toBe('APIGW.0301');
  });
});
