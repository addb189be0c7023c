/** A minimal client of the cloud's REST API (DESIGN 5), for the demo set-up and the sync tests. */

/** A non-2xx answer, with the failure envelope's error. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** One call to the API: the envelope's `data` on success, else an ApiError. */
export async function api<T>(cloudUrl: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(new URL(path, cloudUrl), { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  let envelope: { success?: boolean; data?: unknown; error?: { code: string; message: string } } | undefined;
  try {
    envelope = JSON.parse(text) as typeof envelope;
  } catch {
    envelope = undefined;
  }
  if (!res.ok || envelope?.success !== true) {
    const error = envelope?.error;
    throw new ApiError(res.status, error?.code ?? 'HTTP', `${method} ${path}: ${res.status} ${error?.message ?? text.slice(0, 500)}`, envelope ?? text);
  }
  return envelope.data as T;
}
