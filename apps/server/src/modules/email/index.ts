export { supportAddressesRoutes } from "./support-addresses.routes.ts";
export { createSupportAddressesService, type TSupportAddressesService } from "./support-addresses.service.ts";
