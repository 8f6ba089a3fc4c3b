// Sweep worker: background k-sweeps and eps x min_samples grids, so the live pane's worker stays free.
import * as Comlink from 'comlink';
import { SweepService } from './services/sweep_service.ts';

Comlink.expose(new SweepService());
