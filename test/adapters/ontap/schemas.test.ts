import { describe, expect, it } from 'vitest';
import { ontapErrorResponseSchema, ontapJobCollectionSchema, ontapJobLinkResponseSchema, ontapJobSchema, ontapJobsLinkResponseSchema } from '../../../adapters/ontap/index.js';
import { toOntapJob } from '../../../adapters/ontap/map.js';
import { ontapErrorSchema, ontapHrefSchema } from '../../../adapters/ontap/schemas.js';

const UUID = '1cd8a442-86d1-11e0-ae1c-123478563412';

// Example payloads, verbatim from /work/shared/vendor-docs/ontap-get-job.txt and ontap-cluster-jobs.txt.
const DOCS_GET_JOB_EXAMPLE = `{
"_links": { "self": { "href": "/api/resourcelink" } },
"code": 0,
"description": "App Snapshot Job",
"end_time": "string",
"error": {
"arguments": [ { "code": "string", "message": "string" } ],
"code": "4",
"message": "entry doesn't exist"
},
"message": "Complete: Successful",
"node": { "name": "string" },
"start_time": "string",
"state": "string",
"svm": {
"_links": { "self": { "href": "/api/resourcelink" } },
"name": "svm1",
"uuid": "02c9e252-41be-11e9-81d5-00a0986138f7"
},
"uuid": "1cd8a442-86d1-11e0-ae1c-123478563412"
}`;

const DOCS_RUNNING_JOB_EXAMPLE = `{
  "uuid": "b5145e1d-b53b-11e8-8252-005056bbd8f5",
  "code": 0,
  "description": "Cluster Backup Job",
  "state": "running",
  "message": "creating_node_backups",
  "_links": {
    "self": {
      "href": "/api/cluster/jobs/b5145e1d-b53b-11e8-8252-005056bbd8f5"
    }
  }
}`;

// The 9.12.1 PDF renders array fields of the example as single objects (records, error.arguments).
const DOCS_CLUSTER_JOB_EXAMPLE = `{
  "_links": { "self": { "href": "/api/resourcelink" } },
  "code": 0,
  "description": "App Snapshot Job",
  "end_time": "string",
  "error": {
    "arguments": { "code": "string", "message": "string" },
    "code": "4",
    "message": "entry doesn't exist",
    "target": "uuid"
  },
  "message": "Complete: Successful",
  "start_time": "string",
  "state": "queued",
  "svm": {
    "_links": { "self": { "href": "/api/resourcelink" } },
    "name": "svm1",
    "uuid": "02c9e252-41be-11e9-81d5-00a0986138f7"
  },
  "uuid": "1cd8a442-86d1-11e0-ae1c-123478563412"
}`;

const DOCS_COLLECTION_LINKS = `{
  "next": { "href": "/api/resourcelink" },
  "self": { "href": "/api/resourcelink" }
}`;

const DOCS_ERROR_EXAMPLE_ARRAY = `{
"error": {
"arguments": [ { "code": "string", "message": "string" } ],
"code": "4",
"message": "entry doesn't exist",
"target": "uuid"
}
}`;

const DOCS_ERROR_EXAMPLE_OBJECT = `{
  "error": {
    "arguments": { "code": "string", "message": "string" },
    "code": "4",
    "message": "entry doesn't exist",
    "target": "uuid"
  }
}`;

describe("the docs' example payloads", () => {
  it('parses the GET /cluster/jobs/{uuid} example and keeps every field', () => {
    const parsed = ontapJobSchema.safeParse(JSON.parse(DOCS_GET_JOB_EXAMPLE));
    expect(parsed.success).toBe(true);
    const raw = parsed.data!;
    expect(raw.uuid).toBe(UUID);
    expect(raw.state).toBe('string');
    expect(raw.code).toBe(0);
    expect(raw.error).toEqual({ arguments: [{ code: 'string', message: 'string' }], code: '4', message: "entry doesn't exist" });
    expect(raw.svm).toEqual({ _links: { self: { href: '/api/resourcelink' } }, name: 'svm1', uuid: '02c9e252-41be-11e9-81d5-00a0986138f7' });
    expect(raw.node?.name).toBe('string');
    expect(raw._links?.self?.href).toBe('/api/resourcelink');
  });

  it("maps the docs' example to an unknown state without dates (its times read \"string\")", () => {
    const job = toOntapJob(ontapJobSchema.parse(JSON.parse(DOCS_GET_JOB_EXAMPLE)));
    expect(job.state).toBe('unknown');
    expect(job.vendorState).toBe('string');
    expect(job.startedAt).toBeUndefined();
    expect(job.endedAt).toBeUndefined();
    expect(job.description).toBe('App Snapshot Job');
  });

  it('parses the running job of the endpoint overview', () => {
    const raw = ontapJobSchema.parse(JSON.parse(DOCS_RUNNING_JOB_EXAMPLE));
    expect(raw).toMatchObject({ uuid: 'b5145e1d-b53b-11e8-8252-005056bbd8f5', state: 'running', code: 0, message: 'creating_node_backups' });
  });

  it('parses the job record of the cluster jobs reference, whose error arguments are one object', () => {
    const raw = ontapJobSchema.parse(JSON.parse(DOCS_CLUSTER_JOB_EXAMPLE));
    expect(raw.state).toBe('queued');
    expect(raw.error?.arguments).toEqual({ code: 'string', message: 'string' });
    expect(raw.error?.target).toBe('uuid');
  });

  it('parses the collection example with its records as the array the API sends and keeps its next link', () => {
    const body = { _links: JSON.parse(DOCS_COLLECTION_LINKS), num_records: 1, records: [JSON.parse(DOCS_CLUSTER_JOB_EXAMPLE)] };
    const page = ontapJobCollectionSchema.parse(body);
    expect(page.num_records).toBe(1);
    expect(page.records).toHaveLength(1);
    expect(page.records[0]?.uuid).toBe(UUID);
    expect(page._links?.next?.href).toBe('/api/resourcelink');
  });

  it('parses both error examples: arguments as an array and as one object', () => {
    for (const text of [DOCS_ERROR_EXAMPLE_ARRAY, DOCS_ERROR_EXAMPLE_OBJECT]) {
      const parsed = ontapErrorResponseSchema.parse(JSON.parse(text));
      expect(parsed.error).toMatchObject({ code: '4', message: "entry doesn't exist", target: 'uuid' });
    }
  });
});

describe('ontapJobSchema', () => {
  it('requires uuid and state', () => {
    expect(ontapJobSchema.safeParse({ state: 'running' }).success).toBe(false);
    expect(ontapJobSchema.safeParse({ uuid: UUID }).success).toBe(false);
    expect(ontapJobSchema.safeParse({ uuid: '', state: 'running' }).success).toBe(false);
    expect(ontapJobSchema.safeParse({ uuid: UUID, state: 5 }).success).toBe(false);
    expect(ontapJobSchema.safeParse({ uuid: 5, state: 'running' }).success).toBe(false);
    expect(ontapJobSchema.safeParse({ uuid: UUID, state: null }).success).toBe(false);
    expect(ontapJobSchema.safeParse(null).success).toBe(false);
    expect(ontapJobSchema.safeParse('{"uuid":"x","state":"running"}').success).toBe(false);
    expect(ontapJobSchema.safeParse({ uuid: UUID, state: 'running' }).success).toBe(true);
  });

  it('names the missing field in its issue', () => {
    const parsed = ontapJobSchema.safeParse({ uuid: UUID });
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['state']);
  });

  it('lets unknown fields through (schema drift)', () => {
    const raw = ontapJobSchema.parse({ uuid: UUID, state: 'running', progress: { percent: 40 }, tags: ['a'] }) as Record<string, unknown>;
    expect(raw['progress']).toEqual({ percent: 40 });
    expect(raw['tags']).toEqual(['a']);
  });

  it('drops malformed optional fields instead of failing', () => {
    const raw = ontapJobSchema.parse({
      uuid: UUID,
      state: 'failure',
      svm: 'x',
      code: 'abc',
      description: 7,
      message: ['m'],
      start_time: 1715162400,
      end_time: null,
      error: 'boom',
      node: 'node-01',
      _links: 'self',
    });
    expect(raw).toMatchObject({ uuid: UUID, state: 'failure' });
    for (const key of ['svm', 'code', 'description', 'message', 'start_time', 'end_time', 'error', 'node', '_links'] as const) {
      expect(raw[key], key).toBeUndefined();
    }
  });

  it('drops malformed parts of nested objects and keeps the rest', () => {
    const raw = ontapJobSchema.parse({
      uuid: UUID,
      state: 'failure',
      svm: { name: 5, uuid: 'svm-uuid' },
      error: { code: { nested: true }, message: 'Volume offline', target: 9, arguments: 'none' },
      _links: { self: { href: 7 } },
    });
    expect(raw.svm?.name).toBeUndefined();
    expect(raw.svm?.uuid).toBe('svm-uuid');
    expect(raw.error?.code).toBeUndefined();
    expect(raw.error?.message).toBe('Volume offline');
    expect(raw.error?.target).toBeUndefined();
    expect(raw.error?.arguments).toBeUndefined();
    expect(raw._links?.self).toBeUndefined();
  });

  it('accepts the integer code and keeps it a number, and turns an error code number into a string', () => {
    const raw = ontapJobSchema.parse({ uuid: UUID, state: 'failure', code: 460770, error: { code: 460770, message: 'm' } });
    expect(raw.code).toBe(460770);
    expect(raw.error?.code).toBe('460770');
  });
});

describe('ontapJobCollectionSchema', () => {
  it('reads a page without records as empty', () => {
    expect(ontapJobCollectionSchema.parse({ num_records: 0 }).records).toEqual([]);
  });

  it('refuses a page with a record that lacks state', () => {
    const parsed = ontapJobCollectionSchema.safeParse({ records: [{ uuid: UUID, state: 'running' }, { uuid: UUID }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['records', 1, 'state']);
  });

  it('refuses records that are not a list of objects', () => {
    expect(ontapJobCollectionSchema.safeParse({ records: 'none' }).success).toBe(false);
    expect(ontapJobCollectionSchema.safeParse({ records: [1, 2] }).success).toBe(false);
  });

  it('drops a next link whose href is not a string, which ends paging', () => {
    const page = ontapJobCollectionSchema.parse({ records: [], _links: { next: { href: 5 }, self: { href: '/api/cluster/jobs' } } });
    expect(page._links?.next).toBeUndefined();
    expect(page._links?.self?.href).toBe('/api/cluster/jobs');
  });
});

describe('the other schemas', () => {
  it('ontapHrefSchema needs a string href', () => {
    expect(ontapHrefSchema.safeParse({ href: '/api/x' }).success).toBe(true);
    expect(ontapHrefSchema.safeParse({ href: 1 }).success).toBe(false);
    expect(ontapHrefSchema.safeParse({}).success).toBe(false);
  });

  it('ontapJobLinkResponseSchema reads a 202 body and needs job.uuid', () => {
    const body = { job: { uuid: UUID, _links: { self: { href: `/api/cluster/jobs/${UUID}` } } } };
    expect(ontapJobLinkResponseSchema.parse(body).job.uuid).toBe(UUID);
    expect(ontapJobLinkResponseSchema.safeParse({ job: {} }).success).toBe(false);
    expect(ontapJobLinkResponseSchema.safeParse({ job: { uuid: '' } }).success).toBe(false);
    expect(ontapJobLinkResponseSchema.safeParse({ jobs: [{ uuid: UUID }] }).success).toBe(false);
  });

  it('ontapJobsLinkResponseSchema reads a query-based answer', () => {
    expect(ontapJobsLinkResponseSchema.parse({ jobs: [{ uuid: UUID }], num_records: 1 }).jobs).toHaveLength(1);
    expect(ontapJobsLinkResponseSchema.safeParse({ jobs: [{}] }).success).toBe(false);
    expect(ontapJobsLinkResponseSchema.safeParse({ num_records: 0 }).success).toBe(false);
  });

  it('ontapErrorSchema accepts an empty error and keeps only well-typed parts', () => {
    expect(ontapErrorSchema.parse({})).toEqual({});
    expect(ontapErrorSchema.parse({ code: 4, message: 'x', target: ['t'] })).toEqual({ code: '4', message: 'x' });
  });

  it('ontapErrorResponseSchema needs an error object', () => {
    expect(ontapErrorResponseSchema.safeParse({ message: 'x' }).success).toBe(false);
    expect(ontapErrorResponseSchema.safeParse({ error: 'x' }).success).toBe(false);
  });
});
