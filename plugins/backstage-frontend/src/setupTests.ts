import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy*/waitFor give up after 1 s by default; on a busy 2-core CI machine a card's first answer from a real engine
// can take longer. Each test keeps its own timeout.
configure({ asyncUtilTimeout: 10_000 });
