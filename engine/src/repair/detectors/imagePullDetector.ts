import { waitingReasonDetector } from './waitingReasonDetector.js';

/**
 * Images the kubelet cannot pull or even parse. A minute of grace: a pull that fails once and then succeeds
 * (a registry blip) is not a finding.
 */
export const imagePullDetector = waitingReasonDetector({
  name: 'image-pull',
  type: 'ImagePullBackOff',
  reasons: [
    'ImagePullBackOff',
    'ErrImagePull',
    'InvalidImageName',
    'ErrImageNeverPull',
    'RegistryUnavailable',
  ],
  minSeconds: 60,
  describe: 'cannot pull their image',
});
