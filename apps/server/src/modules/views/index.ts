export { BUILTIN_VIEWS } from "./builtin-views.ts";
export { viewsRoutes } from "./views.routes.ts";
export { createViewsService, MAX_VIEWS, type TViewsService } from "./views.service.ts";
