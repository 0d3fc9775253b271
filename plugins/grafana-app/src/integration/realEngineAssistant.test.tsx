import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AssistantPage } from '../pages/AssistantPage';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, proxyTo, recording, replyJson } from '../test/FakeBackendSrv';
import { useEngineProcess } from '../test/startEngineProcess';
import type { Answer } from '../api/types';

/** The assistant page against a real engine (demo profile, offline retrieval), through the emulated proxy route. */

describe('the assistant against a real engine', () => {
  const engine = useEngineProcess();

  test('the assistant shows the engine answer with as many citations as it returned', async () => {
    const rec = recording(proxyTo(ENGINE_PROXY_URL, engine.url));
    new FakeBackendSrv(rec.handler).install();

    render(<AssistantPage />);
    await userEvent.type(screen.getByTestId(testIds.assistant.question), 'How do I roll back a bad deployment?');
    await userEvent.click(screen.getByTestId(testIds.assistant.ask));

    const answer = await screen.findByTestId(testIds.assistant.answer, undefined, { timeout: 30_000 });
    const engineReply = replyJson<Answer>(rec.replies.find((r) => r.url.endsWith('/assistant/ask'))!.reply);
    expect(engineReply.answer.length).toBeGreaterThan(0);
    expect(within(answer).queryAllByTestId(testIds.assistant.citation)).toHaveLength(engineReply.citations.length);
  }, 60_000);
});
