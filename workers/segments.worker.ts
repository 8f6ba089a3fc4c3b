// Segments worker: profiles and names, CART rules, the silhouette plot, scoring new customers.
import * as Comlink from 'comlink';
import { SegmentsService } from './services/segments_service.ts';

Comlink.expose(new SegmentsService());
