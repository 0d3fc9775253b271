import React, { useState, type ChangeEvent, type FormEvent } from 'react';
import { lastValueFrom } from 'rxjs';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';

export interface AppSettings {
  /** Where Grafana's server reaches the engine; the plugin-proxy route `engine` forwards there. */
  engineUrl?: string;
}

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

interface State {
  engineUrl: string;
  engineToken: string;
  /** The token is write-only: Grafana only tells whether one is stored. */
  isTokenSet: boolean;
}

export const AppConfig = ({ plugin }: AppConfigProps) => {
  const s = useStyles2(getStyles);
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [state, setState] = useState<State>({
    engineUrl: jsonData?.engineUrl ?? '',
    engineToken: '',
    isTokenSet: Boolean(secureJsonFields?.engineToken),
  });
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const urlError =
    state.engineUrl && !/^https?:\/\/[^/\s]+/.test(state.engineUrl) ? 'Must start with http:// or https://' : undefined;
  // The demo profile runs without auth, so a token is optional.
  const isSubmitDisabled = saving || !state.engineUrl || Boolean(urlError);

  const onChange = (event: ChangeEvent<HTMLInputElement>) =>
    setState({ ...state, [event.target.name]: event.target.value.trim() });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (isSubmitDisabled) {
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      await updatePlugin(plugin.meta.id, {
        enabled,
        pinned,
        jsonData: { engineUrl: state.engineUrl.replace(/\/+$/, '') },
        // Omitted when untouched, so saving the URL does not wipe a stored token.
        secureJsonData: state.isTokenSet ? undefined : { engineToken: state.engineToken },
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
      <FieldSet label="Engine connection">
        <Field
          label="Engine URL"
          description="Where Grafana's server reaches the AI-CloudOps engine, e.g. http://aicloudops-engine:8080"
          invalid={Boolean(urlError)}
          error={urlError}
        >
          <Input
            width={60}
            name="engineUrl"
            id="config-engine-url"
            data-testid={testIds.appConfig.engineUrl}
            value={state.engineUrl}
            placeholder="http://localhost:8080"
            onChange={onChange}
          />
        </Field>

        <Field
          label="Engine token"
          description="Bearer token from the engine's server.auth.tokens (operator role to start analyses); stored encrypted, never sent to browsers"
          className={s.marginTop}
        >
          <SecretInput
            width={60}
            id="config-engine-token"
            data-testid={testIds.appConfig.engineToken}
            name="engineToken"
            value={state.engineToken}
            isConfigured={state.isTokenSet}
            placeholder="Leave empty for the demo profile (auth off)"
            onChange={onChange}
            onReset={() => setState({ ...state, engineToken: '', isTokenSet: false })}
          />
        </Field>

        {error && (
          <Alert severity="error" title="Could not save the settings" className={s.marginTop}>
            {error}
          </Alert>
        )}

        <div className={s.marginTop}>
          <Button type="submit" data-testid={testIds.appConfig.submit} disabled={isSubmitDisabled}>
            Save engine settings
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
