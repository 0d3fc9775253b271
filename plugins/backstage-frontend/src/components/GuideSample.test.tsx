import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { GuideSample } from './GuideSample';

// The Alertmanager sample's webhook URL ran past the Open incidents card's edge and scrolled sideways.
describe('GuideSample', () => {
  it('wraps long lines inside the card, keeping the text as given', async () => {
    const text = 'receivers:\n  - url: http://ENGINE:8080/api/v1/alerts/webhook/alertmanager\n';
    await renderInTestApp(<GuideSample caption="Sample" text={text} testId="sample" />);
    const pre = screen.getByRole('region', { name: 'Sample' });
    expect(pre.textContent).toBe(text);
    const style = getComputedStyle(pre);
    expect(style.whiteSpace).toBe('pre-wrap');
    expect(style.overflowWrap).toBe('anywhere');
    expect(style.overflowX).not.toBe('auto');
  });
});
