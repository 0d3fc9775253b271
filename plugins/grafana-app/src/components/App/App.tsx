import React, { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';

const OverviewPage = lazy(() => import('../../pages/OverviewPage').then((m) => ({ default: m.OverviewPage })));
const RootCausePage = lazy(() => import('../../pages/RootCausePage').then((m) => ({ default: m.RootCausePage })));
const ForecastPage = lazy(() => import('../../pages/ForecastPage').then((m) => ({ default: m.ForecastPage })));
const AssistantPage = lazy(() => import('../../pages/AssistantPage').then((m) => ({ default: m.AssistantPage })));

export function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path={ROUTES.Overview} element={<OverviewPage />} />
      <Route path={ROUTES.RootCause} element={<RootCausePage />} />
      <Route path={ROUTES.Forecast} element={<ForecastPage />} />
      <Route path={ROUTES.Assistant} element={<AssistantPage />} />
      <Route path="*" element={<Navigate to={ROUTES.Overview} replace />} />
    </Routes>
  );
}
