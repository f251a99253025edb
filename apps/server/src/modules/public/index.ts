export { publicRoutes } from "./public.routes.ts";
export { createPublicService, type TPublicService, type TPublicTickets } from "./public.service.ts";
