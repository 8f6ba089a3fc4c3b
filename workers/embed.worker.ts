// Embed worker: holds the prepared matrix, streams t-SNE / UMAP layouts, caches finished ones.
import * as Comlink from 'comlink';
import { EmbedService } from './services/embed_service.ts';

Comlink.expose(new EmbedService());
