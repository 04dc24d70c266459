// Fatal errors as one class with a closed set of codes; per-line problems are values (see formats/diagnostics.ts).
// A CensusError is a user-facing failure: the CLI prints its message on one line and exits 2, without a stack.

export type CensusErrorCode =
  | 'USAGE'
  | 'SOURCE_NOT_FOUND'
  | 'DB_FOLDER_MISSING'
  | 'DB_OPEN_FAILED'
  | 'DB_NOT_SQLITE'
  | 'DB_TOO_NEW'
  | 'DB_BUSY'
  | 'QUERY_FAILED'
  | 'OUTPUT_FAILED';

export class CensusError extends Error {
  readonly code: CensusErrorCode;

  constructor(code: CensusErrorCode, message: string) {
    super(message);
    this.name = 'CensusError';
    this.code = code;
  }
}

export function isCensusError(err: unknown): err is CensusError {
  return err instanceof CensusError;
}
