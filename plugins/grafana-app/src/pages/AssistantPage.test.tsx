import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AssistantPage, QUESTION_MAX_CHARS } from './AssistantPage';
import { testIds } from '../components/testIds';
import { ENGINE_PROXY_URL } from '../constants';
import { FakeBackendSrv, routes } from '../test/FakeBackendSrv';
import type { Answer } from '../api/types';

describe('AssistantPage', () => {
  test('shows the answer with its numbered citations and carries the conversation on', async () => {
    (window as unknown as { pwned?: number }).pwned = undefined;
    const srv = new FakeBackendSrv(
      routes({
        [`POST ${ENGINE_PROXY_URL}/api/v1/assistant/ask`]: (r) => ({
          status: 200,
          body: {
            answer: `For "${(r.data as { question: string }).question}": roll back with \`kubectl rollout undo\` [1], then check the pods [2].<img src=x onerror="window.pwned=1">`,
            mode: 'extractive',
            unanswered: false,
            turn: 0,
            toolCalls: [
              {
                name: 'workload_status',
                arguments: { name: 'checkout' },
                ok: true,
                summary: 'checkout: 2/2 ready, revision 4',
              },
            ],
            conversationId: 'c-1',
            citations: [
              {
                n: 2,
                title: 'Pod troubleshooting',
                path: 'runbooks/pods.md',
                section: 'CrashLoopBackOff',
                score: 0.61,
              },
              {
                n: 1,
                title: 'Rollbacks',
                path: 'runbooks/rollback.md',
                url: 'https://docs.example.com/rollback',
                section: 'Undo a rollout',
                score: 0.74,
              },
            ],
          } satisfies Answer,
        }),
      })
    ).install();

    render(<AssistantPage />);
    await userEvent.type(screen.getByTestId(testIds.assistant.workload), 'checkout');
    await userEvent.type(screen.getByTestId(testIds.assistant.question), 'How do I roll back?');
    await userEvent.click(screen.getByTestId(testIds.assistant.ask));

    const answer = await screen.findByTestId(testIds.assistant.answer);
    expect(answer).toHaveTextContent('roll back with kubectl rollout undo [1], then check the pods [2].');
    const citations = within(answer).getAllByTestId(testIds.assistant.citation);
    expect(citations.map((c) => c.getAttribute('value'))).toEqual(['1', '2']);
    // Markers in the answer jump to their citation.
    const marker = within(answer).getByRole('link', { name: '[2]' });
    expect(citations[1].id).toBe(marker.getAttribute('href')!.slice(1));
    expect(within(citations[0]).getByRole('link')).toHaveAttribute('href', 'https://docs.example.com/rollback');
    expect(citations[1]).toHaveTextContent('Pod troubleshooting – CrashLoopBackOff runbooks/pods.md');
    // The source path is a chip of its own, spaced from the title rather than padded inside the chip.
    expect(citations[1].querySelector('code')?.textContent).toBe('runbooks/pods.md');
    // How the answer was written, in words rather than the engine's mode id.
    expect(within(answer).getByText('extracted from the knowledge base (no model)')).toBeInTheDocument();
    expect(within(answer).queryByText('extractive')).not.toBeInTheDocument();
    expect(answer).toHaveTextContent('workload_status checkout: 2/2 ready, revision 4');
    // Markdown is rendered, and markup in an answer cannot inject script.
    expect(within(answer).getByText('kubectl rollout undo', { selector: 'code' })).toBeInTheDocument();

    expect(answer.querySelector('img[onerror]')).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();

    await userEvent.type(screen.getByTestId(testIds.assistant.question), 'And then?');
    await userEvent.click(screen.getByTestId(testIds.assistant.ask));
    expect(await screen.findAllByTestId(testIds.assistant.answer)).toHaveLength(2);
    expect(srv.requests.map((r) => r.data)).toEqual([
      // The engine client asks for a whole answer, not a stream.
      { question: 'How do I roll back?', workload: 'checkout', stream: false },
      { question: 'And then?', conversationId: 'c-1', workload: 'checkout', stream: false },
    ]);
  });

  test('a question over the engine’s limit is named at the field and not sent, by the button or Ctrl+Enter', async () => {
    const srv = new FakeBackendSrv(
      routes({
        [`POST ${ENGINE_PROXY_URL}/api/v1/assistant/ask`]: () => ({ status: 500, body: 'must not be called' }),
      })
    ).install();
    render(<AssistantPage />);
    const question = screen.getByTestId(testIds.assistant.question);
    await userEvent.click(question);
    await userEvent.paste('x'.repeat(QUESTION_MAX_CHARS + 1));

    expect(
      screen.getByText(`At most ${QUESTION_MAX_CHARS} characters; this question has ${QUESTION_MAX_CHARS + 1}.`)
    ).toBeInTheDocument();
    expect(screen.getByTestId(testIds.assistant.ask)).toBeDisabled();
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    expect(srv.requests).toEqual([]);

    await userEvent.keyboard('{Backspace}');
    expect(screen.queryByText(/At most \d+ characters/)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.assistant.ask)).toBeEnabled();
  });
});
