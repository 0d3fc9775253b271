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
 * reach. Here: the theme's text colour, and the <pre> is a labelled, focusable region so long lines scroll (wrapping
 * them broke the YAML indentation on screen).
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
            overflowX: 'auto',
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
