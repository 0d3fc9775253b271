import type { RegisterCommand } from '../CliContext.js';
import { registerServe } from './serve.js';
import { registerDoctor } from './doctor.js';
import { registerIngest } from './ingest.js';
import { registerKb } from './kb.js';
import { registerAsk } from './ask.js';
import { registerRca } from './rca.js';
import { registerForecast } from './forecast.js';
import { registerAlerts } from './alerts.js';
import { registerRepair } from './repair.js';

/** Every subcommand of `aicloudops`; capabilities add theirs here. */
export const COMMANDS: RegisterCommand[] = [
  registerServe,
  registerDoctor,
  registerIngest,
  registerKb,
  registerAsk,
  registerRca,
  registerForecast,
  registerAlerts,
  registerRepair,
];
