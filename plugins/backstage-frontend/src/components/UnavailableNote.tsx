import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Typography from '@mui/material/Typography';
import type { Unavailable } from '../api/types';
import { aiCloudOpsTranslationRef, type CloudOpsT as T } from '../translation';

/** "Forecasting is not available on this engine: <the engine's reason>", in the user's language. */
export function unavailableText(note: Unavailable, t: T): string {
  return t(`unavailable.${note.capability}`, { reason: note.message });
}

/** A capability the engine lacks, as a note on the card (not an error). */
export function UnavailableNote({ note }: { note: Unavailable }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  return <Typography paragraph>{unavailableText(note, t)}</Typography>;
}
