import React, { useState, type ChangeEvent, type FormEvent } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';
import { t } from '@grafana/i18n';
import { testIds } from '../testIds';
import { UNESCAPED } from '../../locales/unescaped';

export interface AppSettings {
  /** Where Grafana's server reaches the engine; the plugin-proxy route `engine` forwards there. */
  engineUrl?: string;
}

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

/**
 * One engine token per Grafana role: the plugin routes send the viewer token on reads, the operator token on the
 * analyses Editors start, the admin token only on the `engine-admin` route that Admins alone reach (plugin.json).
 */
export const TOKEN_FIELDS = [{ key: 'viewerToken' }, { key: 'operatorToken' }, { key: 'adminToken' }] as const;

type TokenKey = (typeof TOKEN_FIELDS)[number]['key'];

/** Called on render: t() reads the user's language, which is known only after the plugin loaded. */
const tokenText = (key: TokenKey): { label: string; description: string } =>
  ({
    viewerToken: {
      label: t('config.token.viewer.label', 'Viewer token'),
      description: t(
        'config.token.viewer.description',
        "An engine token with the viewer role: used for every read, for Grafana's Viewers and up"
      ),
    },
    operatorToken: {
      label: t('config.token.operator.label', 'Operator token'),
      description: t(
        'config.token.operator.description',
        'An engine token with the operator role: used when Editors start analyses, training or scale plans'
      ),
    },
    adminToken: {
      label: t('config.token.admin.label', 'Admin token'),
      description: t(
        'config.token.admin.description',
        'An engine token with the admin role: used only for Admins (applying plans, configuration)'
      ),
    },
  })[key];

interface State {
  engineUrl: string;
  tokens: Record<TokenKey, string>;
  /** Tokens are write-only: Grafana only tells whether one is stored. */
  isSet: Record<TokenKey, boolean>;
}

export const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [state, setState] = useState<State>({
    engineUrl: jsonData?.engineUrl ?? '',
    tokens: { viewerToken: '', operatorToken: '', adminToken: '' },
    isSet: {
      viewerToken: Boolean(secureJsonFields?.viewerToken),
      operatorToken: Boolean(secureJsonFields?.operatorToken),
      adminToken: Boolean(secureJsonFields?.adminToken),
    },
  });
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const urlError =
    state.engineUrl && !/^https?:\/\/[^/\s]+/.test(state.engineUrl)
      ? t('config.engine-url.invalid', 'Must start with http:// or https://')
      : undefined;
  // The demo profile runs without auth, so tokens are optional.
  const isSubmitDisabled = saving || !state.engineUrl || Boolean(urlError);

  const onUrlChange = (event: ChangeEvent<HTMLInputElement>) =>
    setState({ ...state, engineUrl: event.target.value.trim() });
  const setToken = (key: TokenKey, value: string, isSet = false) =>
    setState({ ...state, tokens: { ...state.tokens, [key]: value }, isSet: { ...state.isSet, [key]: isSet } });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (isSubmitDisabled) {
      return;
    }
    setSaving(true);
    setError(undefined);
    // Only tokens the user typed or reset are sent, so saving the URL does not wipe stored ones.
    const changed = TOKEN_FIELDS.filter((f) => !state.isSet[f.key]).map((f) => [f.key, state.tokens[f.key]]);
    try {
      await updatePlugin(plugin.meta.id, {
        enabled,
        pinned,
        jsonData: { engineUrl: state.engineUrl.replace(/\/+$/, '') },
        secureJsonData: changed.length > 0 ? Object.fromEntries(changed) : undefined,
      });
      // Grafana reads plugin settings at page load; a reload is the supported way to apply them.
      window.location.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : ((e as { data?: { message?: string } })?.data?.message ?? String(e)));
      setSaving(false);
    }
  };

  return (
    <form onSubmit={onSubmit}>
      <FieldSet label={t('config.engine.title', 'Engine connection')}>
        <Field
          label={t('config.engine-url.label', 'Engine URL')}
          description={t(
            'config.engine-url.description',
            "Where Grafana's server reaches the AI-CloudOps engine, e.g. http://aicloudops-engine:8080"
          )}
          invalid={Boolean(urlError)}
          error={urlError}
        >
          <Input
            width={60}
            name="engineUrl"
            id="config-engine-url"
            data-testid={testIds.appConfig.engineUrl}
            value={state.engineUrl}
            // eslint-disable-next-line @grafana/i18n/no-untranslated-strings -- an example value, typed as it is in any language
            placeholder="http://localhost:8080"
            onChange={onUrlChange}
          />
        </Field>

        {TOKEN_FIELDS.map((field) => (
          <Field
            key={field.key}
            label={tokenText(field.key).label}
            description={t('config.token.stored', '{{description}}; stored encrypted, never sent to browsers', {
              description: tokenText(field.key).description,
              ...UNESCAPED,
            })}
            className={s.marginTop}
          >
            <SecretInput
              width={60}
              id={`config-${field.key}`}
              data-testid={testIds.appConfig.token(field.key)}
              name={field.key}
              value={state.tokens[field.key]}
              isConfigured={state.isSet[field.key]}
              placeholder={t('config.token.placeholder', 'Leave empty for the demo profile (auth off)')}
              onChange={(e: ChangeEvent<HTMLInputElement>) => setToken(field.key, e.target.value.trim())}
              onReset={() => setToken(field.key, '')}
            />
          </Field>
        ))}

        {error && (
          <Alert
            severity="error"
            title={t('config.save.failed', 'Could not save the settings')}
            className={s.marginTop}
          >
            {error}
          </Alert>
        )}

        <div className={s.marginTop}>
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={isSubmitDisabled}>
            {t('config.save.button', 'Save engine settings')}
          </Button>
        </div>
      </FieldSet>
    </form>
  );
};

const updatePlugin = async (pluginId: string, data: Partial<PluginMeta<AppSettings>>) =>
  lastValueFrom(
    getBackendSrv().fetch({ url: `/api/plugins/${pluginId}/settings`, method: 'POST', data, showErrorAlert: false })
  );

const getStyles = (theme: GrafanaTheme2) => ({
  marginTop: css`
    margin-top: ${theme.spacing(3)};
  `,
});
