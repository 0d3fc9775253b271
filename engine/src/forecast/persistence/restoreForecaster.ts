import { Forecaster, type ForecasterSpec } from '../Forecaster.js';
import type { FittedModel } from '../models/ForecastModel.js';
import { fittedNaive } from '../models/NaiveModel.js';
import { fittedSeasonalNaive } from '../models/SeasonalNaiveModel.js';
import { fittedHoltWinters, type HoltWintersParams } from '../models/HoltWintersModel.js';
import { fittedLstm, type LstmParams } from '../models/LstmModel.js';
import { fittedRidge, type RidgeParams } from '../models/RidgeModel.js';
import { initTf, tf } from '../tf/initTf.js';
import { EngineError } from '../../errors.js';

/** Rebuilds a Forecaster from its spec; the LSTM (when the spec has one) loads through the given IOHandler. */
export async function restoreForecaster(
  spec: ForecasterSpec,
  lstmHandler?: tf.io.IOHandler,
): Promise<Forecaster> {
  const fitted = new Map<string, FittedModel>();
  for (const m of spec.models) {
    switch (m.name) {
      case 'naive':
        fitted.set(m.name, fittedNaive(m.horizon));
        break;
      case 'seasonal_naive_day':
      case 'seasonal_naive_week':
        fitted.set(m.name, fittedSeasonalNaive(m.name, m.params.period as number, m.horizon));
        break;
      case 'holt_winters':
        fitted.set(m.name, fittedHoltWinters(m.params as unknown as HoltWintersParams, m.horizon));
        break;
      case 'ridge':
        fitted.set(m.name, fittedRidge(m.params as unknown as RidgeParams, m.horizon));
        break;
      case 'lstm': {
        if (!lstmHandler) break;
        await initTf();
        const model = await tf.loadLayersModel(lstmHandler);
        fitted.set(m.name, fittedLstm(model, m.params as unknown as LstmParams));
        break;
      }
      default:
        throw new EngineError('INTERNAL', `unknown model ${m.name} in a stored forecaster`);
    }
  }
  return new Forecaster(spec, fitted);
}

/** The LSTM network of a forecaster, if it has one (to save its weights). */
export function lstmNetwork(forecaster: Forecaster): tf.LayersModel | undefined {
  return (forecaster.fitted.get('lstm') as { model?: tf.LayersModel } | undefined)?.model;
}
