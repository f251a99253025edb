export { toUserDto } from "./users.dto.ts";
export { usersRoutes } from "./users.routes.ts";
export { createUsersService, type TUsersService } from "./users.service.ts";
