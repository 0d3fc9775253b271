import type { AlertStage } from './AlertStage.js';
import type { AlertsConfig } from '../config.js';

/**
 * Flap detection with hysteresis: an alert that changes state `changes` times within `windowSeconds` is flapping; it
 * is held open (its incident does not resolve with it) and muted (it does not page again) until it has been quiet
 * for `quietSeconds`. Alertmanager declined this upstream (prometheus/alertmanager#204).
 */
export class FlapDetectionStage implements AlertStage {
  readonly name = 'flap';

  constructor(private readonly flap: AlertsConfig['flap']) {}

  observe: AlertStage['observe'] = (alert, previous, _state, now) => {
    if (previous === alert.status) return;
    const windowStart = now - this.flap.windowSeconds * 1000;
    alert.transitions.push(now);
    while (alert.transitions.length > 0 && alert.transitions[0]! < windowStart) alert.transitions.shift();
    if (alert.transitions.length >= this.flap.changes) alert.flapping = true;
  };

  mute: AlertStage['mute'] = (alert, _state, now) => {
    if (!alert.flapping) return undefined;
    const last = alert.transitions[alert.transitions.length - 1] ?? 0;
    if (now - last >= this.flap.quietSeconds * 1000) {
      alert.flapping = false;
      return undefined;
    }
    return {
      kind: 'flapping',
      detail: `${alert.transitions.length} state changes within ${this.flap.windowSeconds}s`,
    };
  };
}
