import { QUESTION_MAX_CHARS } from '@ai-cloudops/engine-client';
import React, { useState } from 'react';
import { css } from '@emotion/css';
import { renderMarkdown, type GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { t } from '@grafana/i18n';
import {
  Alert,
  Badge,
  Button,
  Field,
  InlineField,
  InlineFieldRow,
  Input,
  TextArea,
  TextLink,
  useStyles2,
} from '@grafana/ui';
import { useAskStream, type AskStreamState } from '../api/useEventStream';
import type { Answer, Citation, ToolCallRecord } from '../api/types';
import { EngineErrorAlert } from '../components/EngineError/EngineErrorAlert';
import { testIds } from '../components/testIds';
import { initialParam } from '../utils/initialParam';

interface Turn {
  question: string;
  response: Answer;
}

// The engine's own limit (its askRequestSchema reads the same constant): a longer question is a 400 on body.question.
export { QUESTION_MAX_CHARS };

export function AssistantPage() {
  const s = useStyles2(getStyles);
  const [question, setQuestion] = useState('');
  const [namespace, setNamespace] = useState(() => initialParam('namespace', ''));
  const [workload, setWorkload] = useState(() => initialParam('service', ''));
  const [turns, setTurns] = useState<Turn[]>([]);
  // The answer streams in (tool calls, tokens, citations); a finished one joins the turns above it.
  const { state: live, ask: askStream } = useAskStream();
  const loading = live.phase === 'streaming';
  // Said at the field before sending, so a pasted log is not echoed back as a failed question.
  const tooLong = question.trim().length > QUESTION_MAX_CHARS;

  const ask = async () => {
    const q = question.trim();
    // Ctrl+Enter reaches here too, so the button's conditions are checked again.
    if (!q || loading || tooLong) {
      return;
    }
    // Follow-up questions keep the engine-side conversation when it returns an id.
    const conversationId = turns.at(-1)?.response.conversationId;
    const response = await askStream({
      question: q,
      conversationId,
      namespace: namespace || undefined,
      workload: workload || undefined,
    });
    if (response) {
      setTurns((previous) => [...previous, { question: q, response }]);
      setQuestion('');
    }
  };

  return (
    <PluginPage>
      <div data-testid={testIds.assistant.container}>
        {turns.map((turn, i) => (
          <div key={i} className={s.turn}>
            <div className={s.question}>{turn.question}</div>
            <AnswerView response={turn.response} anchor={`turn${i}`} />
          </div>
        ))}
        {(live.phase === 'streaming' || live.phase === 'error') && <LiveAnswer state={live} />}
        {live.phase === 'error' && (
          <EngineErrorAlert
            error={live.error}
            title={
              live.interrupted
                ? t(
                    'assistant.interrupted',
                    'The connection dropped before the answer was complete. The question was not sent again; ask again to retry.'
                  )
                : t('assistant.failed', 'The assistant could not answer')
            }
            testId={testIds.assistant.error}
          />
        )}
        <InlineFieldRow>
          <InlineField
            htmlFor="assistant-namespace"
            label={t('assistant.namespace.label', 'Namespace')}
            labelWidth={14}
            tooltip={t('assistant.namespace.tooltip', 'Scope live-state lookups to this namespace')}
          >
            <Input
              id="assistant-namespace"
              width={20}
              value={namespace}
              // eslint-disable-next-line @grafana/i18n/no-untranslated-strings -- an example value, typed as it is in any language
              placeholder="default"
              onChange={(e) => setNamespace(e.currentTarget.value.trim())}
            />
          </InlineField>
          <InlineField
            htmlFor="assistant-workload"
            label={t('assistant.workload.label', 'Workload')}
            labelWidth={12}
            tooltip={t(
              'assistant.workload.tooltip',
              'The workload the question is about; lets the assistant read its live state'
            )}
          >
            <Input
              id="assistant-workload"
              data-testid={testIds.assistant.workload}
              width={20}
              value={workload}
              placeholder={t('assistant.workload.placeholder', 'any')}
              onChange={(e) => setWorkload(e.currentTarget.value.trim())}
            />
          </InlineField>
        </InlineFieldRow>
        <Field
          invalid={tooLong}
          error={
            tooLong
              ? t('assistant.question.too-long', 'At most {{max}} characters; this question has {{count}}.', {
                  max: QUESTION_MAX_CHARS,
                  count: question.trim().length,
                })
              : undefined
          }
        >
          <TextArea
            aria-label={t('assistant.question.label', 'Question')}
            data-testid={testIds.assistant.question}
            rows={3}
            value={question}
            placeholder={t('assistant.question.placeholder', 'Why is checkout slow? How do I roll back a deployment?')}
            onChange={(e) => setQuestion(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                void ask();
              }
            }}
          />
        </Field>
        <div className={s.actions}>
          <Button
            data-testid={testIds.assistant.ask}
            icon="comment-alt"
            onClick={() => void ask()}
            disabled={loading || !question.trim() || tooLong}
          >
            {loading ? t('assistant.thinking', 'Thinking...') : t('assistant.ask', 'Ask')}
          </Button>
        </div>
      </div>
    </PluginPage>
  );
}

function AnswerView({ response, anchor }: { response: Answer; anchor: string }) {
  const s = useStyles2(getStyles);
  const steps = response.runbookSteps ?? [];
  return (
    <div data-testid={testIds.assistant.answer}>
      {response.unanswered && (
        <Alert severity="info" title={t('assistant.unanswered.title', 'Nothing relevant found')}>
          {t(
            'assistant.unanswered.body',
            'The knowledge base has nothing on this yet; the answer says what is missing.'
          )}
        </Alert>
      )}
      {response.modelError && (
        <Alert
          severity="warning"
          title={t(
            'assistant.model-error.title',
            'The model did not answer: this answer is extracted from the runbooks and docs'
          )}
        >
          {response.modelError}
        </Alert>
      )}
      <div
        className={s.answer}
        // Sanitized by renderMarkdown; the only markup added afterwards is the numeric citation anchors.
        dangerouslySetInnerHTML={{ __html: answerHtml(response.answer, response.citations, anchor) }}
      />
      {/* The extractive answer already lists the steps; a model-written one may not. */}
      {steps.length > 0 && !response.answer.includes(steps[0]!) && (
        <ol className={s.citations}>
          {steps.map((step, i) => (
            <li key={i}>{step}</li>
          ))}
        </ol>
      )}
      <ToolCalls calls={response.toolCalls} />
      <Badge color="blue" text={modeLabel(response.mode)} className={s.mode} />
      {response.citations.length > 0 && (
        <ol className={s.citations}>
          {[...response.citations]
            .sort((a, b) => a.n - b.n)
            .map((c) => (
              <li key={c.n} value={c.n} id={`${anchor}-cite-${c.n}`} data-testid={testIds.assistant.citation}>
                <CitationLink citation={c} />
              </li>
            ))}
        </ol>
      )}
    </div>
  );
}

/** The answer while it streams: what the assistant read as it reads it, then the text as it is written. */
function LiveAnswer({ state }: { state: AskStreamState }) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.turn} data-testid={testIds.assistant.streaming}>
      <div className={s.question}>{state.question}</div>
      <ToolCalls calls={state.tools} />
      {state.text ? (
        <div
          className={s.answer}
          data-testid={testIds.assistant.streamingText}
          // Sanitized by renderMarkdown, as the finished answer is.
          dangerouslySetInnerHTML={{ __html: answerHtml(state.text, state.citations, 'live') }}
        />
      ) : (
        state.phase === 'streaming' && (
          <div>{t('assistant.reading', 'Reading the live state and the knowledge base...')}</div>
        )
      )}
    </div>
  );
}

function ToolCalls({ calls }: { calls: ToolCallRecord[] }) {
  const s = useStyles2(getStyles);
  if (calls.length === 0) {
    return null;
  }
  return (
    <ul className={s.tools}>
      {calls.map((call, i) => (
        <li key={i} data-testid={testIds.assistant.tool}>
          <Badge color={call.ok ? 'green' : 'red'} text={call.name} /> {call.summary}
        </li>
      ))}
    </ul>
  );
}

/**
 * The answer as sanitized HTML from its markdown (Grafana's renderer), with each `[n]` marker turned into a link to
 * its citation; markers without a citation stay text.
 */
export function answerHtml(text: string, citations: Citation[], anchor: string): string {
  const known = new Set(citations.map((c) => c.n));
  return renderMarkdown(text, { breaks: true }).replace(/\[(\d+)\]/g, (marker, n: string) =>
    known.has(Number(n)) ? `<a href="#${anchor}-cite-${n}"><sup>[${n}]</sup></a>` : marker
  );
}

/** How the answer was written, in words: the raw mode ("extractive") meant nothing to a user and stayed English in zh-Hans. */
function modeLabel(mode: Answer['mode']): string {
  return mode === 'model'
    ? t('assistant.mode.model', 'written by the configured model from the cited sources')
    : t('assistant.mode.extractive', 'extracted from the knowledge base (no model)');
}

function CitationLink({ citation }: { citation: Citation }) {
  const label = citation.section ? `${citation.title} – ${citation.section}` : citation.title;
  if (citation.url) {
    return (
      <TextLink href={citation.url} external>
        {label}
      </TextLink>
    );
  }
  return (
    <span>
      {label}
      {citation.path && (
        <>
          {' '}
          <code>{citation.path}</code>
        </>
      )}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  turn: css`
    margin-bottom: ${theme.spacing(3)};
  `,
  question: css`
    font-weight: ${theme.typography.fontWeightMedium};
    margin-bottom: ${theme.spacing(1)};
  `,
  answer: css`
    /* Lists keep their markers inside the panel and a gap before the paragraph after them: the bullets hung outside
       the panel's left edge in the Chromium screenshot. */
    ul,
    ol {
      padding-left: ${theme.spacing(3)};
      margin-bottom: ${theme.spacing(1)};
    }
    p:last-child,
    ul:last-child,
    ol:last-child {
      margin-bottom: 0;
    }
    padding: ${theme.spacing(1, 2)};
    background: ${theme.colors.background.secondary};
    border-radius: ${theme.shape.radius.default};
  `,
  mode: css`
    margin-top: ${theme.spacing(1)};
  `,
  citations: css`
    margin: ${theme.spacing(1, 0, 0, 3)};
    font-size: ${theme.typography.bodySmall.fontSize};
  `,
  tools: css`
    list-style: none;
    margin: ${theme.spacing(1, 0)};
    font-size: ${theme.typography.bodySmall.fontSize};
    color: ${theme.colors.text.secondary};
  `,
  actions: css`
    margin-top: ${theme.spacing(1)};
  `,
});
