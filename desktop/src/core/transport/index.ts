export { type BrowserServer, type BrowserServerOptions, MAX_BODY_BYTES, startBrowserServer } from './http-server.js';
export { type Channel, type ChannelClient, connectOverChannel, serveOverChannel } from './channel.js';
export { CONTENT_SECURITY_POLICY, securityHeaders } from './security.js';
export { type StaticFile, resolveStaticFile } from './static-files.js';
export { type DeskBridge, type DeskEndpoint, failure } from './types.js';
