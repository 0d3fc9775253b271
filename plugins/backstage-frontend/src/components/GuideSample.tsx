import { CodeSnippet } from '@backstage/core-components';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/**
 * An empty state's sample: one line saying where it goes, then the text to paste, with Backstage's copy button.
 * Shared so every card's sample looks the same and the browser test finds it by one test id pattern.
 */
export function GuideSample({
  caption,
  text,
  language = 'yaml',
  testId,
}: {
  caption: ReactNode;
  text: string;
  language?: string;
  testId: string;
}) {
  return (
    <Box sx={{ mt: 1, mb: 2 }} data-testid={testId}>
      <Typography variant="body2" gutterBottom>
        {caption}
      </Typography>
      <CodeSnippet text={text} language={language} showCopyCodeButton />
    </Box>
  );
}
