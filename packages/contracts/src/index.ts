export * from "./auth.ts";
export * from "./brands.ts";
export * from "./common.ts";
export * from "./users.ts";
