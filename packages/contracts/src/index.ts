export * from "./attachments.ts";
export * from "./auth.ts";
export * from "./brands.ts";
export * from "./common.ts";
export * from "./customers.ts";
export * from "./public.ts";
export * from "./search.ts";
export * from "./users.ts";
