import type { Role } from '../config/schema.js';
import { roleAtLeast } from '../server/auth.js';
import type { JobRecord } from './JobRunner.js';
import { JOB_KIND } from './jobKinds.js';

/**
 * What a caller of the job routes may read of a record. Params are the submitter's inputs (an ingest's folders on the
 * engine host, an RCA's target): operators and admins, who may submit jobs, see them; viewers see the kind, status,
 * progress, timestamps and a result summary. An ingest also names its folders in its progress messages and errors
 * ("reading /srv/docs") and each report's `root` and `source` (a folder's path unless named), so a viewer gets the
 * counts of each report only.
 */
export function jobViewFor<R>(record: JobRecord<R>, role: Role): JobRecord<R> | Omit<JobRecord, 'params'> {
  if (roleAtLeast(role, 'operator')) return record;
  const { params: _params, instance: _instance, ...rest } = record;
  return record.kind === JOB_KIND.assistantIngest ? ingestForViewer(rest) : rest;
}

interface IngestReportLike {
  source?: unknown;
  errors?: unknown;
  root?: unknown;
}

function ingestForViewer(record: Omit<JobRecord, 'params'>): Omit<JobRecord, 'params'> {
  const view: Omit<JobRecord, 'params'> = { ...record, message: `ingest ${record.status}` };
  if (record.error) view.error = { code: record.error.code, message: `ingest failed (${record.error.code})` };
  if (Array.isArray(record.result)) {
    view.result = (record.result as IngestReportLike[]).map(
      ({ root: _root, source: _source, errors, ...report }) => ({
        ...report,
        errorCount: Array.isArray(errors) ? errors.length : 0,
      }),
    );
  }
  return view;
}
