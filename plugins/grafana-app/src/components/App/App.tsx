import React, { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';

const OverviewPage = lazy(() => import('../../pages/OverviewPage').then((m) => ({ default: m.OverviewPage })));
const RootCausePage = lazy(() => import('../../pages/RootCausePage').then((m) => ({ default: m.RootCausePage })));
const ForecastPage = lazy(() => import('../../pages/ForecastPage').then((m) => ({ default: m.ForecastPage })));
const AssistantPage = lazy(() => import('../../pages/AssistantPage').then((m) => ({ default: m.AssistantPage })));
const RepairsPage = lazy(() => import('../../pages/RepairsPage').then((m) => ({ default: m.RepairsPage })));
const AlertsPage = lazy(() => import('../../pages/AlertsPage').then((m) => ({ default: m.AlertsPage })));

export function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path={ROUTES.Overview} element={<OverviewPage />} />
      <Route path={ROUTES.RootCause} element={<RootCausePage />} />
      <Route path={ROUTES.Forecast} element={<ForecastPage />} />
      <Route path={ROUTES.Assistant} element={<AssistantPage />} />
      <Route path={ROUTES.Repairs} element={<RepairsPage />} />
      <Route path={ROUTES.Alerts} element={<AlertsPage />} />
      <Route path="*" element={<Navigate to={ROUTES.Overview} replace />} />
    </Routes>
  );
}
