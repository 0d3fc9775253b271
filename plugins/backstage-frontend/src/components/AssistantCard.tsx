import { useState, type FormEvent } from 'react';
import { InfoCard, Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { aiCloudOpsTranslationRef } from '../translation';
import { isUnavailable, type Answer, type Unavailable } from '../api/types';

/** Stable hooks for tests (the browser test finds the card by these, not by its English labels). */
export const assistantCardTestIds = {
  question: 'aicloudops-assistant-question',
  ask: 'aicloudops-assistant-ask',
  answer: 'aicloudops-assistant-answer',
  citations: 'aicloudops-assistant-citations',
} as const;

export function AssistantCard({ service, namespace }: { service: string; namespace?: string }) {
  const api = useApi(cloudOpsApiRef);
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const [question, setQuestion] = useState('');
  const [asking, setAsking] = useState(false);
  const [answer, setAnswer] = useState<Answer | Unavailable>();
  const [error, setError] = useState<Error>();

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    if (!question.trim()) return;
    setAsking(true);
    setError(undefined);
    try {
      setAnswer(await api.ask({ question: question.trim(), workload: service, ...(namespace ? { namespace } : {}) }));
    } catch (e) {
      setError(e as Error);
    } finally {
      setAsking(false);
    }
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
          size="small"
          inputProps={{ 'data-testid': assistantCardTestIds.question }}
        />
        <Button
          type="submit"
          variant="outlined"
          disabled={asking || !question.trim()}
          sx={{ mt: 1 }}
          data-testid={assistantCardTestIds.ask}
        >
          {t('assistantCard.ask')}
        </Button>
      </form>
      {asking ? <Progress /> : null}
      {error ? <ResponseErrorPanel error={error} /> : null}
      {answer && isUnavailable(answer) ? <Typography>{answer.message}</Typography> : null}
      {answer && !isUnavailable(answer) ? (
        <div data-testid={assistantCardTestIds.answer}>
          <Typography sx={{ whiteSpace: 'pre-wrap', mt: 2 }}>{answer.answer}</Typography>
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
            {answer.mode === 'model' ? t('assistantCard.byModel') : t('assistantCard.extracted')}
          </Typography>
        </div>
      ) : null}
    </InfoCard>
  );
}
