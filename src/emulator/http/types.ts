/**
 * A Web API request as the dispatcher sees it: already read off the socket (or cut out of a
 * $batch body), so the same handlers serve both. Header names are lower-case.
 */
export interface EmulatorRequest {
  method: string;
  /** Path and query exactly as sent, e.g. `/api/data/v9.2/accounts?$top=1`. */
  target: string;
  headers: Record<string, string>;
  body: string;
}

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export interface DispatchOptions {
  /** The longest request target accepted; a $batch allows its inner requests more than a plain GET. */
  maxUrlLength?: number;
}

/** Answers one Web API request of this emulator, as a top-level request is answered. */
export type Dispatch = (request: EmulatorRequest, options?: DispatchOptions) => EmulatorResponse;
