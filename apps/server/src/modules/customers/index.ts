export { toCustomerDto } from "./customers.dto.ts";
export {
  customerSearchText,
  findOrCreateCustomer,
  findOrCreateEmailCustomers,
  getCustomerSummary,
  listCustomerSummaries,
  normalizeIdentity,
  type TCustomerSummary,
  type TEmailContact,
  type TIdentityInput,
} from "./customers.repository.ts";
export { customersRoutes } from "./customers.routes.ts";
export { createCustomersService, type TCustomersService } from "./customers.service.ts";
