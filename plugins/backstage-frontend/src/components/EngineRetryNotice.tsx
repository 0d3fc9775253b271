import { useEffect, useState } from 'react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { isRetryableEngineError, type EngineRetryState } from '../hooks/useEngineRetry';
import { aiCloudOpsTranslationRef } from '../translation';

/** Test ids for the tests and the browser test: keep them stable. */
export const engineRetryTestIds = {
  retry: 'aicloudops-engine-retry',
  retryIn: 'aicloudops-engine-retry-in',
} as const;

/**
 * Below a card's error when the engine did not answer: a Retry button and, while an automatic attempt is scheduled,
 * when it comes (useEngineRetry). Nothing for an error that trying again would not fix (`down` false, a 4xx).
 */
export function EngineRetryNotice(props: {
  state: Pick<EngineRetryState<unknown>, 'retry' | 'nextRetryAt' | 'loading' | 'error'>;
  /** The engine was not reached although the call succeeded (the workloads list's "(engine)" entry). */
  down?: boolean;
}) {
  const { retry, nextRetryAt, loading, error } = props.state;
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const seconds = useSecondsUntil(nextRetryAt);
  if (!props.down && !isRetryableEngineError(error)) return null;
  return (
    <Box display="flex" alignItems="center" gap={1} mt={1}>
      <Button
        size="small"
        variant="outlined"
        onClick={retry}
        disabled={loading}
        data-testid={engineRetryTestIds.retry}
      >
        {t('engineRetry.retry')}
      </Button>
      {seconds !== undefined ? (
        <Typography
          variant="body2"
          color="textSecondary"
          role="status"
          data-testid={engineRetryTestIds.retryIn}
        >
          {t('engineRetry.retryingIn', { seconds: String(seconds) })}
        </Typography>
      ) : null}
    </Box>
  );
}

/** Whole seconds until `at`, re-rendered each second; undefined when none is due (or it is being tried now). */
function useSecondsUntil(at: number | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === undefined) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  const seconds = at === undefined ? 0 : Math.ceil((at - now) / 1000);
  return seconds > 0 ? seconds : undefined;
}
