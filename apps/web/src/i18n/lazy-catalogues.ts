import { adminMessages } from "../admin/admin.messages.ts";

/**
 * Catalogues of features loaded on demand: each feature adds its own with FeatureMessages, so they
 * stay out of the first load. Listed here for messages.test.ts, which checks them like the others.
 */
export const LAZY_CATALOGUES = [adminMessages] as const;
