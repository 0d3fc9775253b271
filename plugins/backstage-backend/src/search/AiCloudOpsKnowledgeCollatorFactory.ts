import { Readable } from 'node:stream';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { DocumentCollatorFactory, IndexableDocument } from '@backstage/plugin-search-common';
import { createEngineClient, type EngineClient } from '@ai-cloudops/engine-client';
import { knowledgePageLocation } from '@ai-cloudops/backstage-plugin-common';
import { readEngineSettings } from '../service/readEngineSettings';
import { timedFetch } from '../service/timedFetch';

/** One knowledge-base document as the engine lists it. */
export interface KnowledgeDocument {
  title: string;
  /** Path within the knowledge base, e.g. `runbooks/crashloop.md`. */
  path: string;
  url?: string;
  text: string;
}

export interface KnowledgeSearchDocument extends IndexableDocument {
  path: string;
}

export const KNOWLEDGE_DOCUMENT_TYPE = 'aicloudops-knowledge';
export const KNOWLEDGE_DOCUMENTS_PATH = '/api/v1/assistant/documents';

export interface CollatorOptions {
  engine: EngineClient;
  logger: LoggerService;
  /** Joined with a document's path when it has no URL of its own (else the frontend's knowledge page is linked). */
  documentBaseUrl?: string;
}

/**
 * Feeds Backstage's portal search with the engine's runbooks and ingested documents, so "how do I fix a
 * CrashLoopBackOff" finds the same knowledge the assistant cites.
 */
export class AiCloudOpsKnowledgeCollatorFactory implements DocumentCollatorFactory {
  readonly type = KNOWLEDGE_DOCUMENT_TYPE;

  private constructor(private readonly options: CollatorOptions) {}

  static fromConfig(config: Config, options: { logger: LoggerService }): AiCloudOpsKnowledgeCollatorFactory {
    const settings = readEngineSettings(config);
    if (!settings) throw new Error('aicloudops.engine is not configured');
    const documentBaseUrl = config.getOptionalString('aicloudops.search.documentBaseUrl');
    return new AiCloudOpsKnowledgeCollatorFactory({
      logger: options.logger,
      engine: createEngineClient({
        baseUrl: settings.baseUrl,
        ...(settings.token ? { token: settings.token } : {}),
        fetchApi: timedFetch(settings.timeoutMs),
      }),
      ...(documentBaseUrl ? { documentBaseUrl } : {}),
    });
  }

  static fromEngine(options: CollatorOptions): AiCloudOpsKnowledgeCollatorFactory {
    return new AiCloudOpsKnowledgeCollatorFactory(options);
  }

  async getCollator(): Promise<Readable> {
    return Readable.from(this.execute());
  }

  private async *execute(): AsyncGenerator<KnowledgeSearchDocument> {
    // A failure throws: the indexer then keeps the previous index instead of replacing it with nothing.
    let count = 0;
    for await (const doc of this.documents()) {
      if (!doc || typeof doc.path !== 'string' || typeof doc.text !== 'string') continue;
      count++;
      yield {
        title: doc.title || doc.path,
        text: doc.text,
        location: this.locationOf(doc),
        path: doc.path,
      };
    }
    this.options.logger.info(`indexed ${count} AI-CloudOps knowledge documents`);
  }

  /** Every page of the engine's paginated document list: `nextCursor` is followed until the last page. */
  private async *documents(): AsyncGenerator<KnowledgeDocument> {
    let cursor: string | undefined;
    do {
      const path = cursor ? `${KNOWLEDGE_DOCUMENTS_PATH}?cursor=${encodeURIComponent(cursor)}` : KNOWLEDGE_DOCUMENTS_PATH;
      const page = await this.options.engine.request<{ items: KnowledgeDocument[]; nextCursor?: string }>('GET', path);
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }

  /** The page's own URL, else under documentBaseUrl, else the frontend's knowledge page (a bare path opened nothing). */
  private locationOf(doc: KnowledgeDocument): string {
    if (doc.url) return doc.url;
    const base = this.options.documentBaseUrl;
    return base ? `${base.replace(/\/+$/, '')}/${doc.path.replace(/^\/+/, '')}` : knowledgePageLocation(doc);
  }
}
