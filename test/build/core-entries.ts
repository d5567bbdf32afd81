/**
 * The package's entries that are not a vendor's, after `.` and the vendors, in the order the
 * exports map, tsup and typedoc.json list them: the one list the build tests check them against.
 */
export const CORE_ENTRIES = [
  { name: 'testing', source: 'src/testing/index.ts' },
  { name: 'adapter', source: 'src/adapter.ts' },
  { name: 'bullmq', source: 'src/bullmq.ts' },
] as const;
