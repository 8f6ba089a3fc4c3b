// Cluster worker: holds the prepared matrix, fits estimators, computes metrics.
import * as Comlink from 'comlink';
import { ClusterService } from './services/cluster_service.ts';

Comlink.expose(new ClusterService());
