import type { AlertStage } from './AlertStage.js';

/**
 * Alerts the engine's own repair actions caused (a restart makes pods NotReady for a moment) carry the repair's id in
 * a label or annotation (`alerts.repairLabel`, default `aicloudops_repair_id`); they are grouped but page no one.
 */
export class RepairSuppressionStage implements AlertStage {
  readonly name = 'repair-suppression';

  constructor(private readonly label: string) {}

  mute: AlertStage['mute'] = (alert) => {
    const id = alert.labels[this.label] ?? alert.annotations[this.label];
    return id ? { kind: 'repair', detail: `caused by the engine's repair ${id}` } : undefined;
  };
}
