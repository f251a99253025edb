import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError } from "../lib/app-error.ts";

type TPgError = { code?: string; constraint?: string; detail?: string };

const PG_ERRORS: Record<string, AppError> = {
  "23505": new AppError("conflict", "This conflicts with an existing record", 409),
  "23503": new AppError("invalid_reference", "A referenced record does not exist", 422),
  "23514": new AppError("constraint_violation", "A value is not allowed", 422),
  "22P02": new AppError("invalid_value", "A value has the wrong format", 400),
  "22001": new AppError("value_too_long", "A value is too long", 400),
  "40001": new AppError("retry", "The request collided with another; please retry", 503),
  "40P01": new AppError("retry", "The request collided with another; please retry", 503),
};

/** Maps every error to `{ error: { code, message, details? } }`; 5xx details go to the log only. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = err.validation.map((v) => ({
      field: [v.instancePath.replace(/^\//, "").replace(/\//g, ".")]
        .concat((v.params?.issue as { keys?: string[] } | undefined)?.keys ?? [])
        .filter(Boolean)
        .join("."),
      message: v.message ?? "invalid",
      in: err.validationContext,
    }));
    const first = details[0];
    const message = first ? `${first.field || err.validationContext}: ${first.message}` : "Invalid request";
    return new AppError("validation_failed", message, 400, details);
  }
  const fe = err as FastifyError & TPgError;
  if (typeof fe.code === "string" && PG_ERRORS[fe.code]) return PG_ERRORS[fe.code] as AppError;
  switch (fe.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new AppError("invalid_json", "The request body is not valid JSON", 400);
    case "FST_ERR_CTP_BODY_TOO_LARGE":
    case "FST_REQ_FILE_TOO_LARGE":
    case "FST_FILES_LIMIT":
    case "FST_PARTS_LIMIT":
      return new AppError("payload_too_large", "The request or one of its files is too large", 413);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_INVALID_MULTIPART_CONTENT_TYPE":
      return new AppError("unsupported_media_type", "This content type is not accepted here", 415);
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new AppError("invalid_content_length", "Content-Length does not match the body", 400);
  }
  if (fe instanceof SyntaxError && fe.statusCode === 400) {
    return new AppError("invalid_json", "The request body is not valid JSON", 400);
  }
  if (fe.statusCode === 429) return new AppError("rate_limited", fe.message || "Too many requests", 429);
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError("bad_request", fe.message, fe.statusCode);
  }
  return new AppError("internal_error", "Something went wrong on our side", 500);
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Answer a request body that fails its schema with this status instead of 400 (the views API: 422). */
    invalidBodyStatus?: 422;
  }
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    let appError = toAppError(err);
    const bodyStatus = req.routeOptions.config.invalidBodyStatus;
    if (bodyStatus && hasZodFastifySchemaValidationErrors(err) && err.validationContext === "body") {
      appError = new AppError(appError.code, appError.message, bodyStatus, appError.details);
    }
    if (appError.status >= 500 || isResponseSerializationError(err)) req.log.error({ err }, "request failed");
    else req.log.info({ code: appError.code }, appError.message);
    const body = {
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.details && appError.status < 500 ? { details: appError.details } : {}),
      },
    };
    return reply.status(appError.status).type("application/json; charset=utf-8").send(body);
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      error: { code: "route_not_found", message: `No route for ${req.method} ${req.url.split("?")[0]}` },
    }),
  );
}
