export { findOrCreateCustomer, normalizeIdentity, type TIdentityInput } from "./customers.repository.ts";
