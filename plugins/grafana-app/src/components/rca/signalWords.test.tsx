import React from 'react';
import { render, screen } from '@testing-library/react';
import { candidateReason } from './candidateReason';
import { EvidenceLines } from './EvidenceLines';
import type { RcaCandidate } from '../../api/types';
import appJson from '../../plugin.json';
import appZh from '../../locales/zh-Hans/aicloudops-cloudops-app.json';
import { resetTranslations, switchLanguage } from '../../locales/testTranslations';

const noEvidence: RcaCandidate['evidence'] = { metrics: [], logs: [], events: [], changes: [] };

/** A candidate the engine ranks on its Kubernetes events alone: its signal is 'events'. */
const eventsOnly: RcaCandidate = {
  service: 'cart',
  signal: 'events',
  faultType: 'anomaly',
  score: 3.1,
  evidence: noEvidence,
};

/** The demo's error burst against a quiet hour: a robust z far beyond 100, read as the factor the level changed by. */
const errors: RcaCandidate = {
  service: 'cart',
  signal: 'error_ratio',
  faultType: 'errors',
  score: 9.4,
  evidence: {
    ...noEvidence,
    metrics: [{ signal: 'error_ratio', unit: 'ratio', baselineMedian: 0.0045, incidentValue: 0.55, deviation: 4500 }],
  },
};

const explore = { range: { from: 0, to: 1 } };

/**
 * The engine's signal ids and the wording of a deviation are words of the page, in the user's language: zh-Hans read
 * 'cart：events 发生变化。' and '（far above the baseline's range, over 100 robust σ (×122)）' inside Chinese sentences.
 */
describe('signal names and deviations', () => {
  afterEach(() => resetTranslations());

  test('in zh-Hans: an events-only candidate and a far deviation read in Chinese, in the reason and the evidence', async () => {
    await switchLanguage(appJson.id, 'zh-Hans', appZh);
    expect(candidateReason(eventsOnly)).toBe('cart：事件发生变化。');
    const far = '错误率从 0.0045 变为 0.55 ratio（远高于基线范围，超过 100 稳健 σ，为基线的 122 倍）';
    expect(candidateReason(errors)).toBe(`cart：${far}。`);
    const z = { ...errors.evidence.metrics[0]!, signal: 'restarts', deviation: -12, unit: undefined };
    render(<EvidenceLines evidence={{ ...noEvidence, metrics: [errors.evidence.metrics[0]!, z] }} explore={explore} />);
    const lines = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(lines).toEqual([
      '指标错误率: 0.0045 → 0.55 ratio（远高于基线范围，超过 100 稳健 σ，为基线的 122 倍）',
      '指标重启次数: 0.0045 → 0.55（-12 稳健 σ）',
    ]);
  });

  test('in en-US as before, and a signal the user configured shows as named', async () => {
    await switchLanguage(appJson.id, 'en-US', {});
    expect(candidateReason(eventsOnly)).toBe('cart: events moved.');
    expect(candidateReason(errors)).toBe(
      "cart: error_ratio went from 0.0045 to 0.55 ratio (far above the baseline's range, over 100 robust σ (×122))."
    );
    const own = {
      ...errors.evidence.metrics[0]!,
      signal: 'kafka_lag',
      deviation: -300,
      baselineMedian: 100,
      incidentValue: 40,
    };
    render(<EvidenceLines evidence={{ ...noEvidence, metrics: [own] }} explore={explore} />);
    expect(screen.getByRole('listitem')).toHaveTextContent(
      "kafka_lag: 100 → 40 ratio (far below the baseline's range, over 100 robust σ (×0.40))"
    );
  });
});
