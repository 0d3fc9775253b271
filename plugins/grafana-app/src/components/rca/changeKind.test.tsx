import React from 'react';
import { render, screen } from '@testing-library/react';
import { candidateReason } from './candidateReason';
import { EvidenceLines } from './EvidenceLines';
import type { RcaCandidate } from '../../api/types';
import appJson from '../../plugin.json';
import appZh from '../../locales/zh-Hans/aicloudops-cloudops-app.json';
import { resetTranslations, switchLanguage } from '../../locales/testTranslations';

/** As the demo's OOM kill on cart lists it: a restart and no metric that moved before it. */
const cart: RcaCandidate = {
  service: 'cart',
  signal: 'restarts',
  faultType: 'oom-killed',
  score: 8.05,
  evidence: {
    metrics: [],
    logs: [],
    events: [],
    changes: [{ time: 6107, kind: 'restart', description: 'cart-1/cart restarted (1 restart, last: OOMKilled)' }],
  },
};

const explore = { range: { from: 0, to: 1 } };

/** The engine's change kinds are words of the page, in the user's language: 'restart' showed in Chinese sentences. */
describe('change kinds', () => {
  afterEach(() => resetTranslations());

  test('in zh-Hans: the reason and the evidence line name the restart in Chinese', async () => {
    await switchLanguage(appJson.id, 'zh-Hans', appZh);
    expect(candidateReason(cart)).toBe('cart：01:41:47 UTC 发生重启之后，重启次数发生变化。');
    render(<EvidenceLines evidence={cart.evidence} explore={explore} />);
    expect(screen.getByText('重启')).toBeInTheDocument();
    expect(screen.queryByText('restart')).not.toBeInTheDocument();
  });

  test('in en-US as before, and a kind a newer engine sends shows as sent', async () => {
    await switchLanguage(appJson.id, 'en-US', {});
    expect(candidateReason(cart)).toBe('cart: restarts moved after a restart at 01:41:47 UTC.');
    const newer = { ...cart.evidence, changes: [{ ...cart.evidence.changes[0]!, kind: 'cordon' }] };
    render(<EvidenceLines evidence={newer} explore={explore} />);
    expect(screen.getByText('cordon')).toBeInTheDocument();
  });
});
