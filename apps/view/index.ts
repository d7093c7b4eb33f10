/** The live ground-station view (and replay of a recording) served to a browser. */
export { startViewServer, type ViewServer, type ViewServerOptions } from './server.ts';
export { STALE_AFTER_S, viewConfig, viewGeometry, type ViewConfig, type ViewGeometry } from './config.ts';
export { launchBrowser, openViewFor, wsUrlList } from './open.ts';
