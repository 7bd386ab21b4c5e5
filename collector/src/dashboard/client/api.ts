/** The collector's API from the browser: JSON in and out, the session's CSRF token on every write. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  setCsrfToken(token: string | null): void;
}

export function createApi(onUnauthenticated: () => void): Api {
  let csrfToken: string | null = null;

  async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(path, init);
    const text = await response.text();
    const parsed: unknown = text === '' ? {} : safeJson(text);
    if (!response.ok) {
      const error = parsed as { error?: unknown; message?: unknown };
      const code = typeof error.error === 'string' ? error.error : `http_${response.status}`;
      const message = typeof error.message === 'string' ? error.message : response.statusText;
      if (response.status === 401 && path !== '/api/login') onUnauthenticated();
      throw new ApiError(response.status, code, message);
    }
    return parsed as T;
  }

  return {
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body),
    setCsrfToken(token) {
      csrfToken = token;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: 'bad_response', message: text.slice(0, 200) };
  }
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
