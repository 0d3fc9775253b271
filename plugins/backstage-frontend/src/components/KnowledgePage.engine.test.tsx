import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { knowledgePageLocation } from '@ai-cloudops/backstage-plugin-common';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import type { KnowledgeDocument } from '../api/types';
import { seriousAxeViolations, startRealEngine, type RealEngine } from '../__testUtils__/realEngine';
import { KnowledgePage, knowledgePageTestIds } from './KnowledgePage';

/**
 * The page a portal search result opens when the knowledge-base page has no URL of its own: the link the backend's
 * collator builds, rendered on a real engine's runbooks through the /engine pass-through.
 */
jest.setTimeout(120_000);

let engine: RealEngine;
beforeAll(async () => {
  engine = await startRealEngine();
});
afterAll(async () => {
  await engine?.stop();
});

async function openAt(link: string) {
  return renderInTestApp(
    <TestApiProvider apis={[[cloudOpsApiRef, engine.client]]}>
      <KnowledgePage />
    </TestApiProvider>,
    { routeEntries: [link] },
  );
}

it('shows the runbook the search result names, with its text, and passes axe', async () => {
  const { items } = await engine.json<{ items: KnowledgeDocument[] }>(
    'GET',
    '/api/v1/assistant/documents?maxChars=500',
  );
  const runbook = items.find((d) => d.path.endsWith('crash-loop-backoff.md'))!;
  const { container } = await openAt(knowledgePageLocation(runbook));
  const text = await screen.findByTestId(knowledgePageTestIds.text, {}, { timeout: 60_000 });
  expect(screen.getAllByText(runbook.title).length).toBeGreaterThan(0);
  // MarkdownContent renders the text once its parser has loaded.
  await waitFor(() => expect(text.textContent).toContain('CrashLoopBackOff'), { timeout: 30_000 });
  expect(await seriousAxeViolations(container)).toEqual([]);
});

it('says a page that is gone is gone, naming its path', async () => {
  await openAt(knowledgePageLocation({ source: 'runbooks', path: 'no/such-page.md' }));
  const missing = await screen.findByTestId(knowledgePageTestIds.missing, {}, { timeout: 60_000 });
  expect(missing.textContent).toContain('no/such-page.md');
});
