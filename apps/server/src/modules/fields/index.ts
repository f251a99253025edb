export {
  checkCustomFields,
  resolveCategoryId,
  type TCustomFieldValues,
  type TFieldRule,
  type TValidateOptions,
  validateCustomFields,
} from "./custom-field-values.ts";
export { toCategoryDto, toCustomFieldDto } from "./fields.dto.ts";
export { fieldsRoutes } from "./fields.routes.ts";
export { createFieldsService, type TFieldsService } from "./fields.service.ts";
