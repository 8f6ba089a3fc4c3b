// Explore worker: the correlation matrix of the features and the box statistics of their distributions.
import * as Comlink from 'comlink';
import { ExploreService } from './services/explore_service.ts';

Comlink.expose(new ExploreService());
