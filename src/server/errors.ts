/** Errors a route answers with a status of its own (everything else is a 500). */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}
