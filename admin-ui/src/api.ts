// The one way this app talks to qanda: GraphQL over POST /graphql, with the
// session cookie. Errors become ApiError, carrying the API's extensions.code
// and whatever the code brings with it (bad fields, current version, wait).

import type { TypedDocumentString } from "./generated/graphql";

export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "INTERNAL"
  /** The server could not be reached, or did not answer with GraphQL. */
  | "NETWORK";

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  /** BAD_USER_INPUT: each bad field, named as in the schema (e.g. `displayName`). */
  readonly fields: FieldProblem[];
  /** CONFLICT: the version someone else saved. */
  readonly currentVersion: number | null;
  /** RATE_LIMITED: how long to wait. */
  readonly retryAfterSeconds: number | null;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: FieldProblem[]; currentVersion?: number | null; retryAfterSeconds?: number | null } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.fields = extra.fields ?? [];
    this.currentVersion = extra.currentVersion ?? null;
    this.retryAfterSeconds = extra.retryAfterSeconds ?? null;
  }
}

const CODES: ReadonlySet<string> = new Set([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "INTERNAL",
]);

interface GraphQLErrorBody {
  message?: unknown;
  extensions?: {
    code?: unknown;
    fields?: unknown;
    currentVersion?: unknown;
    retryAfterSeconds?: unknown;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function toFieldProblems(value: unknown): FieldProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) =>
    isRecord(item) && typeof item.field === "string" && typeof item.message === "string"
      ? [{ field: item.field, message: item.message }]
      : [],
  );
}

/** Turns the `errors` of a GraphQL response into one ApiError. */
export function toApiError(errors: GraphQLErrorBody[]): ApiError {
  const first = errors[0] ?? {};
  const ext = first.extensions ?? {};
  const code = typeof ext.code === "string" && CODES.has(ext.code) ? (ext.code as ErrorCode) : "INTERNAL";
  const message =
    typeof first.message === "string" && first.message !== ""
      ? first.message
      : "Something went wrong on our side. Please try again.";
  // Validation errors from several resolvers are kept together, so that a
  // form can show every bad field at once.
  const fields = errors.flatMap((e) =>
    e.extensions?.code === "BAD_USER_INPUT" ? toFieldProblems(e.extensions.fields) : [],
  );
  return new ApiError(code, message, {
    fields,
    currentVersion: typeof ext.currentVersion === "number" ? ext.currentVersion : null,
    retryAfterSeconds: typeof ext.retryAfterSeconds === "number" ? ext.retryAfterSeconds : null,
  });
}

let onUnauthenticated: (() => void) | null = null;

/** Called whenever the API says the session is gone (it expired, or was signed out elsewhere). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

type VariablesArg<V> = V extends Record<string, never> ? [variables?: V] : [variables: V];

/** Runs one operation; resolves with its data or rejects with an ApiError. */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: VariablesArg<TVariables>
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json;q=0.9",
      },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError("NETWORK", "The service could not be reached. Check your connection and try again.");
  }

  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(
      "NETWORK",
      `The service answered with an unexpected response (HTTP ${response.status}). Try again.`,
    );
  }

  if (!isRecord(body)) {
    throw new ApiError("NETWORK", "The service answered with an unexpected response. Try again.");
  }
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    const error = toApiError(body.errors as GraphQLErrorBody[]);
    if (error.code === "UNAUTHENTICATED") onUnauthenticated?.();
    throw error;
  }
  if (!isRecord(body.data)) {
    throw new ApiError("INTERNAL", "The service answered without any data. Try again.");
  }
  return body.data as TResult;
}
