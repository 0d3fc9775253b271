import { PanelPlugin } from '@grafana/data';
import { IncidentCardPanel } from './IncidentCardPanel';
import { DEFAULT_OPTIONS, type IncidentCardOptions } from './types';

export const plugin = new PanelPlugin<IncidentCardOptions>(IncidentCardPanel).setPanelOptions((builder) =>
  builder
    .addTextInput({
      path: 'incidentId',
      name: 'Incident id',
      description: 'Show this incident. Empty: the latest open incident.',
      defaultValue: DEFAULT_OPTIONS.incidentId,
    })
    .addTextInput({
      path: 'service',
      name: 'Service',
      description: 'Only incidents touching this service. Empty: any service.',
      defaultValue: DEFAULT_OPTIONS.service,
    })
    .addSliderInput({
      path: 'maxCauses',
      name: 'Causes shown',
      description: "How many of the root-cause analysis' causes to list, highest score first.",
      defaultValue: DEFAULT_OPTIONS.maxCauses,
      settings: { min: 1, max: 10, step: 1 },
    })
    .addNumberInput({
      path: 'refreshSeconds',
      name: 'Refresh (seconds)',
      description: 'How often the card reads the engine again.',
      defaultValue: DEFAULT_OPTIONS.refreshSeconds,
      settings: { min: 5, integer: true },
    })
);
