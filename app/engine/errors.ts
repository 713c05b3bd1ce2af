/** A request the engine refuses, with the HTTP status that says why and a sentence for the person. */
export class EngineError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 422,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new EngineError(404, what);
export const conflict = (what: string) => new EngineError(409, what);
