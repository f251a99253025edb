export { REALTIME_DEFAULTS, type TRealtimeOptions } from "./realtime.options.ts";
export { realtimeRoutes } from "./realtime.routes.ts";
export { createRealtimeService, type TRealtimeService } from "./realtime.service.ts";
