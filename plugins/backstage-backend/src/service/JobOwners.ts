import type { DatabaseService } from '@backstage/backend-plugin-api';

type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

const TABLE = 'aicloudops_job_owners';
/** As long as the engine keeps a job record (JOB_RECORD_TTL_SECONDS there): an older job cannot be cancelled anyway. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

/**
 * Who started each engine job through the portal. The engine sees every portal call under the backend's one token,
 * so it cannot tell portal users apart; the backend records the signed-in user when the engine answers a forwarded
 * call with a new job (202), and cancelling a job is then the owner's, or needs `aicloudops.jobs.cancel.any`.
 * Kept in the plugin's database, so every backend replica and a restarted backend know the owner; a job nobody
 * started through the portal has no owner here.
 */
export class JobOwners {
  private constructor(private readonly db: Knex) {}

  static async create(database: DatabaseService): Promise<JobOwners> {
    const db = await database.getClient();
    if (!(await db.schema.hasTable(TABLE))) {
      try {
        await db.schema.createTable(TABLE, (table) => {
          table.string('job_id', 128).primary();
          table.string('owner', 255).notNullable();
          table.bigInteger('created_at_ms').notNullable().index();
        });
      } catch (error) {
        // Another replica created it between the check and the create.
        if (!(await db.schema.hasTable(TABLE))) throw error;
      }
    }
    return new JobOwners(db);
  }

  async record(jobId: string, owner: string): Promise<void> {
    const now = Date.now();
    await this.db(TABLE).insert({ job_id: jobId, owner, created_at_ms: now }).onConflict('job_id').ignore();
    await this.db(TABLE)
      .where('created_at_ms', '<', now - KEEP_MS)
      .delete();
  }

  /** The user entity ref that started the job through the portal, or undefined. */
  async ownerOf(jobId: string): Promise<string | undefined> {
    const row = (await this.db(TABLE).where({ job_id: jobId }).first('owner')) as
      { owner: string } | undefined;
    return row?.owner;
  }
}
