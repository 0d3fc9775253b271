import type { Store } from '../../store/Store.js';
import { EngineError } from '../../errors.js';
import type { Forecaster, ForecasterSpec } from '../Forecaster.js';
import { lstmNetwork, restoreForecaster } from './restoreForecaster.js';
import { StoreIOHandler } from './StoreIOHandler.js';
import { decodeArtifacts, encodeArtifacts, saveResult, type EncodedModel } from './artifactsCodec.js';

/**
 * Versioned forecasters per series in the Store (Redis in production, so every replica serves the same model).
 * A new version is always kept, but only promoted to `current` when it passed validation; the previous current
 * keeps serving otherwise. Old versions beyond `keep` are deleted, never the current one.
 */
export interface ModelVersion {
  seriesKey: string;
  version: number;
  createdAt: string;
  chosen: string;
  reason: string;
  valid: boolean;
  promoted: boolean;
  /** Validation MASE of the chosen model at the longest horizon. */
  validationMase: number | null;
  hasLstm: boolean;
}

const root = (key: string) => `forecast:models:${key}`;
const versionKey = (key: string, v: number) => `${root(key)}:v${v}`;

export class ModelRegistry {
  constructor(
    private readonly store: Store,
    private readonly keep = 5,
  ) {}

  /** Saves a fitted forecaster (its LSTM weights through the Store IOHandler). */
  async saveForecaster(seriesKey: string, forecaster: Forecaster): Promise<ModelVersion> {
    const net = lstmNetwork(forecaster);
    let encoded: EncodedModel | undefined;
    if (net) {
      await net.save({
        save: async (artifacts) => {
          encoded = encodeArtifacts(artifacts);
          return saveResult(encoded);
        },
      });
    }
    return this.save(seriesKey, forecaster.toJSON(), encoded);
  }

  /** Saves a spec and its LSTM (as produced by a training worker); promotes it only when it passed validation. */
  async save(seriesKey: string, spec: ForecasterSpec, lstm?: EncodedModel): Promise<ModelVersion> {
    const version = await this.store.incr(`${root(seriesKey)}:seq`);
    const net = lstm;
    if (lstm) {
      await new StoreIOHandler(this.store, `${versionKey(seriesKey, version)}:lstm`).save(
        decodeArtifacts(lstm),
      );
    }
    const chosen = spec.candidates.find((c) => c.name === spec.chosen);
    const meta: ModelVersion = {
      seriesKey,
      version,
      createdAt: new Date().toISOString(),
      chosen: spec.chosen,
      reason: spec.reason,
      valid: spec.valid,
      promoted: spec.valid,
      validationMase: chosen?.validation?.[spec.horizon - 1]?.mase ?? null,
      hasLstm: Boolean(net),
    };
    await this.store.batch([
      { op: 'set', key: `${versionKey(seriesKey, version)}:spec`, value: JSON.stringify(spec) },
      { op: 'rpush', key: `${root(seriesKey)}:versions`, values: [JSON.stringify(meta)] },
      ...(meta.promoted
        ? [{ op: 'hset' as const, key: `${root(seriesKey)}:head`, fields: { current: String(version) } }]
        : []),
      { op: 'hset', key: 'forecast:series', fields: { [seriesKey]: new Date().toISOString() } },
    ]);
    await this.prune(seriesKey);
    return meta;
  }

  async versions(seriesKey: string): Promise<ModelVersion[]> {
    return (await this.store.lrange(`${root(seriesKey)}:versions`, 0, -1)).map(
      (v) => JSON.parse(v) as ModelVersion,
    );
  }

  async currentVersion(seriesKey: string): Promise<number | undefined> {
    const v = await this.store.hget(`${root(seriesKey)}:head`, 'current');
    return v === null ? undefined : Number(v);
  }

  /** Series with at least one stored version. */
  async seriesKeys(): Promise<string[]> {
    return Object.keys(await this.store.hgetall('forecast:series')).sort();
  }

  async load(seriesKey: string, version?: number): Promise<{ forecaster: Forecaster; meta: ModelVersion }> {
    const v = version ?? (await this.currentVersion(seriesKey));
    if (v === undefined) throw new EngineError('NOT_FOUND', `no promoted forecast model for ${seriesKey}`);
    const raw = await this.store.get(`${versionKey(seriesKey, v)}:spec`);
    if (!raw) throw new EngineError('NOT_FOUND', `forecast model ${seriesKey} v${v} not found`);
    const spec = JSON.parse(raw) as ForecasterSpec;
    const meta = (await this.versions(seriesKey)).find((m) => m.version === v)!;
    const handler = meta?.hasLstm
      ? new StoreIOHandler(this.store, `${versionKey(seriesKey, v)}:lstm`)
      : undefined;
    return { forecaster: await restoreForecaster(spec, handler), meta };
  }

  private async prune(seriesKey: string): Promise<void> {
    const all = await this.versions(seriesKey);
    if (all.length <= this.keep) return;
    const current = await this.currentVersion(seriesKey);
    // The current version always stays; the newest others fill the remaining places.
    const keepSet = new Set(current !== undefined ? [current] : []);
    for (const m of [...all].reverse()) if (keepSet.size < this.keep) keepSet.add(m.version);
    const drop = all.filter((m) => !keepSet.has(m.version));
    const keepList = all.filter((m) => keepSet.has(m.version));
    await this.store.batch([
      ...drop.flatMap((m) => [
        { op: 'del' as const, key: `${versionKey(seriesKey, m.version)}:spec` },
        { op: 'del' as const, key: `${versionKey(seriesKey, m.version)}:lstm:model.json` },
        { op: 'del' as const, key: `${versionKey(seriesKey, m.version)}:lstm:weights.bin` },
      ]),
      { op: 'del', key: `${root(seriesKey)}:versions` },
      { op: 'rpush', key: `${root(seriesKey)}:versions`, values: keepList.map((m) => JSON.stringify(m)) },
    ]);
  }
}
