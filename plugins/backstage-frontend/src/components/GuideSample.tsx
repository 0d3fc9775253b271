import { CopyTextButton } from '@backstage/core-components';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';

/**
 * An empty state's sample: one line saying where it goes, then the text to paste, with Backstage's copy button.
 * Shared so every card's sample looks the same and the browser test finds it by one test id pattern.
 *
 * A plain themed <pre>, not core-components' CodeSnippet: in Chromium, axe found 11 serious colour-contrast
 * violations in CodeSnippet's YAML token colours on the light theme and a scrollable <pre> that the keyboard cannot
 * reach. Here: the theme's text colour, and the <pre> is a labelled, focusable region. Long lines wrap (pre-wrap keeps
 * each line's indentation; a URL breaks anywhere): scrolling sideways hid the end of the Alertmanager sample's webhook
 * URL and credentials path behind the card's edge on the entity tab, and a copied sample keeps its real line breaks.
 */
export function GuideSample({ caption, text, testId }: { caption: ReactNode; text: string; testId: string }) {
  const captionId = useId();
  return (
    <Box sx={{ mt: 1, mb: 2 }} data-testid={testId}>
      <Typography variant="body2" gutterBottom id={captionId}>
        {caption}
      </Typography>
      <Box sx={{ position: 'relative' }}>
        <Box
          component="pre"
          tabIndex={0}
          role="region"
          aria-labelledby={captionId}
          sx={{
            m: 0,
            p: 1.5,
            pr: 6,
            borderRadius: 1,
            bgcolor: 'action.hover',
            color: 'text.primary',
            fontFamily: 'monospace',
            fontSize: '0.8125rem',
            whiteSpace: 'pre-wrap',
            overflowWrap: 'anywhere',
            wordBreak: 'break-word',
          }}
        >
          {text}
        </Box>
        <Box sx={{ position: 'absolute', top: 4, right: 4 }}>
          <CopyTextButton text={text} />
        </Box>
      </Box>
    </Box>
  );
}
