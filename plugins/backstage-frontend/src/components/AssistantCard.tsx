import { QUESTION_MAX_CHARS } from '@ai-cloudops/engine-client';
import { useState, type FormEvent } from 'react';
import { InfoCard, Link, MarkdownContent, Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { PermittedButton } from './PermittedButton';
import { aiCloudOpsRunAnalysisPermission } from '@ai-cloudops/backstage-plugin-common';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { EngineErrorPanel } from './EngineErrorPanel';
import { aiCloudOpsTranslationRef } from '../translation';
import { useAskStream } from '../hooks/useEventStream';

/** Stable hooks for tests (the browser test finds the card by these, not by its English labels). */
export const assistantCardTestIds = {
  question: 'aicloudops-assistant-question',
  ask: 'aicloudops-assistant-ask',
  answer: 'aicloudops-assistant-answer',
  citations: 'aicloudops-assistant-citations',
  /** The answer text while it streams in. */
  streaming: 'aicloudops-assistant-streaming',
  /** What the assistant read (tool calls), listed as it reads. */
  tools: 'aicloudops-assistant-tools',
} as const;

// The engine's own limit (its askRequestSchema reads the same constant): a longer question is a 400 on body.question.
export { QUESTION_MAX_CHARS };

export function AssistantCard({ service, namespace }: { service: string; namespace?: string }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const [question, setQuestion] = useState('');
  // Tool calls, tokens and citations render as the engine sends them (useAskStream: sent once, never re-sent).
  const { state, ask: askStream } = useAskStream();
  const asking = state.phase === 'streaming';
  const answer = state.answer;

  // Said at the field before sending; a pasted log would otherwise only come back as the engine's 400.
  const tooLong = question.trim().length > QUESTION_MAX_CHARS;

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    if (!question.trim() || asking || tooLong) return;
    await askStream({ question: question.trim(), workload: service, ...(namespace ? { namespace } : {}) });
  };

  return (
    <InfoCard title={t('assistantCard.title')}>
      <form onSubmit={ask}>
        <TextField
          label={t('assistantCard.question', { service })}
          value={question}
          onChange={(e) => setQuestion(e.target.value)}
          fullWidth
          multiline
          // A pasted page of text scrolls inside the field instead of pushing the card down the page.
          maxRows={8}
          error={tooLong}
          helperText={
            tooLong
              ? t('assistantCard.tooLong', { max: String(QUESTION_MAX_CHARS), count: question.trim().length })
              : undefined
          }
          size="small"
          inputProps={{ 'data-testid': assistantCardTestIds.question }}
        />
        <PermittedButton
          permission={aiCloudOpsRunAnalysisPermission}
          type="submit"
          variant="outlined"
          disabled={asking || !question.trim() || tooLong}
          sx={{ mt: 1 }}
          data-testid={assistantCardTestIds.ask}
        >
          {t('assistantCard.ask')}
        </PermittedButton>
      </form>
      {asking && !state.text ? <Progress /> : null}
      {state.tools.length ? (
        <ul aria-label={t('assistantCard.toolsRead')} data-testid={assistantCardTestIds.tools}>
          {state.tools.map((call, i) => (
            <li key={i}>
              <Typography variant="body2" color={call.ok ? 'text.secondary' : 'error'}>
                {call.name}: {call.summary}
              </Typography>
            </li>
          ))}
        </ul>
      ) : null}
      {!answer && state.text ? (
        <Typography sx={{ whiteSpace: 'pre-wrap', mt: 2 }} data-testid={assistantCardTestIds.streaming}>
          {state.text}
        </Typography>
      ) : null}
      {state.error ? (
        <EngineErrorPanel
          error={state.error}
          {...(state.interrupted ? { title: t('assistantCard.interrupted') } : {})}
        />
      ) : null}
      {state.unavailable ? <Typography>{state.unavailable}</Typography> : null}
      {answer ? (
        <div data-testid={assistantCardTestIds.answer}>
          {/* The answer is Markdown (commands in backticks, lists, runbook steps): shown as text it read as raw
              markup on the entity page. MarkdownContent renders no raw HTML, so a model's output cannot inject any. */}
          <MarkdownContent content={answer.answer} />
          {answer.citations.length ? (
            <ol aria-label={t('assistantCard.citations')} data-testid={assistantCardTestIds.citations}>
              {answer.citations.map((c) => (
                <li key={c.n} value={c.n}>
                  {c.url ? <Link to={c.url}>{c.title}</Link> : c.title}
                  {c.section ? ` — ${c.section}` : ''}
                  {c.path ? <Typography variant="caption"> ({c.path})</Typography> : null}
                </li>
              ))}
            </ol>
          ) : null}
          <Typography variant="caption">
            {answer.modelError
              ? t('assistantCard.modelDown', { reason: answer.modelError })
              : answer.mode === 'model'
                ? t('assistantCard.byModel')
                : t('assistantCard.extracted')}
          </Typography>
        </div>
      ) : null}
    </InfoCard>
  );
}
