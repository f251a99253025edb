export type TErrorDetails = Record<string, unknown> | Array<Record<string, unknown>>;

/** The one error type: a stable code for clients, a message for people, the HTTP status to answer with. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details?: TErrorDetails,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) =>
  new AppError(`${what}_not_found`, `${what.replace(/_/g, " ")} not found`, 404);
export const forbidden = (message = "You are not allowed to do this") =>
  new AppError("forbidden", message, 403);
export const conflict = (code: string, message: string) => new AppError(code, message, 409);
export const badRequest = (code: string, message: string, details?: TErrorDetails) =>
  new AppError(code, message, 400, details);
export const unprocessable = (code: string, message: string, details?: TErrorDetails) =>
  new AppError(code, message, 422, details);
