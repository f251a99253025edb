export { toBrandDto } from "./brands.dto.ts";
export { brandExists } from "./brands.repository.ts";
export { brandsRoutes } from "./brands.routes.ts";
export { createBrandsService, type TBrandsService } from "./brands.service.ts";
