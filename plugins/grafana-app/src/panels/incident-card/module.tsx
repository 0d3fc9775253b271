import { PanelPlugin } from '@grafana/data';
import { initPluginTranslations, t } from '@grafana/i18n';
import pluginJson from './plugin.json';
import { IncidentCardPanel } from './IncidentCardPanel';
import { DEFAULT_OPTIONS, type IncidentCardOptions } from './types';

// The panel is its own plugin, so its own i18n namespace (its id) and catalogs (./locales).
await initPluginTranslations(pluginJson.id);

// The options are built when the panel editor opens, after the language is known, so t() may run here.
export const plugin = new PanelPlugin<IncidentCardOptions>(IncidentCardPanel).setPanelOptions((builder) =>
  builder
    .addTextInput({
      path: 'incidentId',
      name: t('options.incident-id.name', 'Incident id'),
      description: t('options.incident-id.description', 'Show this incident. Empty: the latest open incident.'),
      defaultValue: DEFAULT_OPTIONS.incidentId,
    })
    .addTextInput({
      path: 'service',
      name: t('options.service.name', 'Service'),
      description: t('options.service.description', 'Only incidents touching this service. Empty: any service.'),
      defaultValue: DEFAULT_OPTIONS.service,
    })
    .addSliderInput({
      path: 'maxCauses',
      name: t('options.max-causes.name', 'Causes shown'),
      description: t(
        'options.max-causes.description',
        "How many of the root-cause analysis' causes to list, highest score first."
      ),
      defaultValue: DEFAULT_OPTIONS.maxCauses,
      settings: { min: 1, max: 10, step: 1 },
    })
    .addNumberInput({
      path: 'refreshSeconds',
      name: t('options.refresh.name', 'Refresh (seconds)'),
      description: t('options.refresh.description', 'How often the card reads the engine again.'),
      defaultValue: DEFAULT_OPTIONS.refreshSeconds,
      settings: { min: 5, integer: true },
    })
);
