export { searchRoutes } from "./search.routes.ts";
export { createSearchService, planSearch, type TSearchService } from "./search.service.ts";
