import { Progress } from '@backstage/core-components';
import Grid from '@mui/material/Grid';
import { EngineErrorPanel } from './EngineErrorPanel';
import { useEntityScope } from '../hooks/useEntityScope';
import { EngineRetryNotice } from './EngineRetryNotice';
import { IncidentsCard } from './IncidentsCard';
import { RepairsCard } from './RepairsCard';

/** The repair and incident cards, both scoped to the entity's workloads once those are known. */
export function EntityOpsCards() {
  const state = useEntityScope();
  const { value: scope, loading, error } = state;
  if (loading && !scope && !error) return <Progress />;
  if (error)
    return (
      <>
        <EngineErrorPanel error={error} />
        <EngineRetryNotice state={state} />
      </>
    );
  if (!scope) return null;
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12} md={6}>
        <RepairsCard scope={scope} />
      </Grid>
      <Grid item xs={12} md={6}>
        <IncidentsCard scope={scope} />
      </Grid>
    </Grid>
  );
}
