export { authRoutes } from "./auth.routes.ts";
export { createAuthService, type TAuthService } from "./auth.service.ts";
export { hashPassword } from "./password.ts";
