/** What came back on a raw socket: the status line's code, headers, body, and whether it closed. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  closed: boolean;
}

/** A raw connection for a request written in pieces. */
export interface RawConnection {
  write: (text: string) => void;
  /** Everything read so far (latin1). */
  received: () => string;
  /** Resolves once what was read contains `text`; rejects if the connection closes first. */
  sees: (text: string) => Promise<void>;
  /** Resolves once the connection has closed. */
  readonly closed: Promise<void>;
  /** Closes it from this side at once. */
  destroy: () => void;
}

/**
 * Writes `raw` bytes to the server on a fresh connection and reads one answer, for requests that
 * no HTTP client would send.
 */
export function rawRequest(port: number, raw: string): Promise<RawAnswer>;

/** Connects to `host:port` (127.0.0.1 by default) and resolves once connected. */
export function rawConnection(port: number, host?: string): Promise<RawConnection>;
