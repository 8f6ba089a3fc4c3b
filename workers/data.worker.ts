// Data worker: parses files (papaparse), preprocesses, fingerprints, writes labelled CSVs.
import * as Comlink from 'comlink';
import { DataService } from './services/data_service.ts';

Comlink.expose(new DataService());
