import { createTranslationMessages } from '@backstage/core-plugin-api/alpha';
import { aiCloudOpsTranslationRef } from '../translation';
import zhMessages from './zhMessages';

/** The Chinese messages for the translation resource; `full: true` makes a missing key a type error. */
export default createTranslationMessages({
  ref: aiCloudOpsTranslationRef,
  full: true,
  messages: zhMessages,
});
