export { toCustomerDto } from "./customers.dto.ts";
export {
  customerSearchText,
  findOrCreateCustomer,
  getCustomerSummary,
  listCustomerSummaries,
  normalizeIdentity,
  type TCustomerSummary,
  type TIdentityInput,
} from "./customers.repository.ts";
export { customersRoutes } from "./customers.routes.ts";
export { createCustomersService, type TCustomersService } from "./customers.service.ts";
