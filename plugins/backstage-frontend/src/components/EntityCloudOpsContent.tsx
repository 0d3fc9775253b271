import { getCompoundEntityRef } from '@backstage/catalog-model';
import { MissingAnnotationEmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@mui/material/Grid';
import { KUBERNETES_ID_ANNOTATION } from '@ai-cloudops/backstage-plugin-common';
import { isCloudOpsAvailable, namespaceOf, serviceOf } from '../isCloudOpsAvailable';
import { AssistantCard } from './AssistantCard';
import { EntityOpsCards } from './EntityOpsCards';
import { ForecastCard } from './ForecastCard';
import { RcaCard } from './RcaCard';
import { WorkloadsCard } from './WorkloadsCard';

/** The CloudOps tab of an entity page. */
export function EntityCloudOpsContent() {
  const { entity } = useEntity();
  if (!isCloudOpsAvailable(entity)) {
    return <MissingAnnotationEmptyState annotation={KUBERNETES_ID_ANNOTATION} />;
  }
  const service = serviceOf(entity);
  const namespace = namespaceOf(entity);
  const scope = namespace ? { namespace } : {};
  // Inherited by every card: a run with no break opportunity (a label set, a JSON path, a sample command) breaks at
  // the card's edge instead of being clipped there (at 390 px, a repair's diff path ran 147 px past its card).
  // `break-word` rather than `anywhere`: it leaves min-content widths alone, so the tables' columns keep their widths.
  return (
    <Grid container spacing={3} alignItems="stretch" sx={{ overflowWrap: 'break-word' }}>
      <Grid item xs={12}>
        <WorkloadsCard entityRef={getCompoundEntityRef(entity)} />
      </Grid>
      <Grid item xs={12}>
        <EntityOpsCards />
      </Grid>
      <Grid item xs={12} md={6}>
        <RcaCard service={service} {...scope} />
      </Grid>
      <Grid item xs={12} md={6}>
        <ForecastCard service={service} {...scope} />
      </Grid>
      <Grid item xs={12}>
        <AssistantCard service={service} {...scope} />
      </Grid>
    </Grid>
  );
}
