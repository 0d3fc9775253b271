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

/**
 * Text rules for every card of the tab. A run with no break opportunity (a label set, a JSON path, a sample command)
 * breaks at the card's edge instead of being clipped there (at 390 px a repair's diff path ran 147 px past its card);
 * `break-word` rather than `anywhere`, which would shrink the tables' min-content widths. Table headings stay on one
 * line, so a narrow table scrolls sideways (Backstage's Table scrolls) instead of stacking 命名空间 a character a line.
 */
const TAB_TEXT = { overflowWrap: 'break-word', '& th': { whiteSpace: 'nowrap' } } as const;

/** The CloudOps tab of an entity page. */
export function EntityCloudOpsContent() {
  const { entity } = useEntity();
  if (!isCloudOpsAvailable(entity)) {
    return <MissingAnnotationEmptyState annotation={KUBERNETES_ID_ANNOTATION} />;
  }
  const service = serviceOf(entity);
  const namespace = namespaceOf(entity);
  const scope = namespace ? { namespace } : {};
  return (
    <Grid container spacing={3} alignItems="stretch" sx={TAB_TEXT}>
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
