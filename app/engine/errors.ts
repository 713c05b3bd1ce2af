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

/** A session whose workflow is not installed (its file is gone, or has a mistake): its log is still the person's. */
export class WorkflowMissing extends EngineError {
  constructor(
    readonly session: string,
    readonly workflow: string,
  ) {
    super(
      404,
      `Session ${session} belongs to the workflow "${workflow}", which is not installed here (its file is missing, or has a mistake listed on the home page). Its log is kept: download it, or delete the session.`,
    );
  }
}
