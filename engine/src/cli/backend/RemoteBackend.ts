import type { EngineClient } from '@ai-cloudops/engine-client';
import type { JobRecordDto } from '../../schemas/core.js';
import type { RcaResult } from '../../rca/schemas.js';
import type { BacktestResult } from '../../forecast/backtest.js';
import type { ModelVersion } from '../../forecast/persistence/ModelRegistry.js';
import type { Answer, AskEvent } from '../../assistant/schemas.js';
import type { IngestReport } from '../../assistant/kb/KnowledgeBase.js';
import type { CliBackend, IngestSource, ProgressFn, StoredModels } from './CliBackend.js';
import { jobOutcome, jobProgress } from './jobOutcome.js';

/** The commands' work done by a running engine over HTTP (`--server URL`, `--token`): its cluster, store and model. */
export class RemoteBackend implements CliBackend {
  constructor(
    private readonly client: EngineClient,
    readonly where: string,
  ) {}

  nothingStored(what: string) {
    return `no ${what} stored on the engine at ${this.where}`;
  }

  async readiness() {
    return (await this.client.ready()).checks;
  }

  async analyzeRca(request: Record<string, unknown>, progress: ProgressFn) {
    return this.follow<RcaResult>(await this.client.startRca(request), progress);
  }

  async listRca() {
    return (await this.client.listRca()).items;
  }

  getRca(id: string) {
    return this.client.getRca(id);
  }

  forecast(request: Record<string, unknown>) {
    return this.client.forecast(request as never);
  }

  async train(request: Record<string, unknown>, progress: ProgressFn) {
    return this.follow<ModelVersion>(await this.client.trainForecast(request as never), progress);
  }

  async backtest(request: Record<string, unknown>, progress: ProgressFn) {
    return this.follow<BacktestResult & { seriesKey: string }>(
      await this.client.backtestForecast(request as never),
      progress,
    );
  }

  async models() {
    return (await this.client.forecastModels()).items as StoredModels[];
  }

  scalePlan(request: Record<string, unknown>) {
    return this.client.scalePlan(request as never);
  }

  async *ask(request: Record<string, unknown>): AsyncIterable<AskEvent> {
    for await (const message of this.client.askStream(request as never))
      yield fromSse(message.event, message.data);
  }

  /** The running engine reads the folder itself, so it must be inside its `assistant.ingest.roots` (admin token). */
  async ingest(source: IngestSource, progress: ProgressFn) {
    const { path, ...rest } = source;
    const job = await this.client.ingestKnowledge({ paths: [path], ...rest });
    const [report] = await this.follow<IngestReport[]>(job, progress);
    return report!;
  }

  removeSource(name: string) {
    return this.client.removeKnowledgeSource(name);
  }

  async alerts(query: { status: 'firing' | 'resolved' | 'all'; limit: number }) {
    return (await this.client.alerts(query)).items;
  }

  alertStats() {
    return this.client.alertStats();
  }

  async incidents(query: { status: 'open' | 'resolved' | 'all'; limit: number }) {
    return (await this.client.incidents(query)).items;
  }

  incident(id: string) {
    return this.client.incident(id);
  }

  /** Follows a job's SSE stream to its end; a job that did not succeed is rethrown as its error. */
  private async follow<R>(job: JobRecordDto, progress: ProgressFn): Promise<R> {
    const done = await this.client.followJob(job.id, jobProgress(progress));
    return jobOutcome<R>({ ...done, kind: job.kind });
  }
}

/** The server's SSE messages back into the assistant's events (the route sends each event's fields as its data). */
function fromSse(event: string | undefined, data: unknown): AskEvent {
  const d = (data ?? {}) as Record<string, unknown>;
  if (event === 'done') return { type: 'done', answer: d as unknown as Answer };
  if (event === 'token') return { type: 'token', text: String(d.text ?? '') };
  if (event === 'error')
    throw new Error(`the engine ended the answer with an error: ${String(d.message ?? JSON.stringify(d))}`);
  return { type: event ?? 'message', ...d } as unknown as AskEvent;
}
