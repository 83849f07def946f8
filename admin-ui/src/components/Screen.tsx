// The pieces most screens share: the h1 that takes focus, the two-thirds /
// one-third grid, and the messages for a screen that could not load.

import type { ComponentChildren } from "preact";
import type { ApiError } from "../api";
import { useScreen, type QueryState } from "../hooks";
import { href } from "../router";

export function Heading({ children, caption }: { children: ComponentChildren; caption?: string | undefined }) {
  return (
    <>
      {caption && <span class="govuk-caption-l">{caption}</span>}
      <h1 class="govuk-heading-l" tabindex={-1}>
        {children}
      </h1>
    </>
  );
}

export function TwoThirds({ children, aside }: { children: ComponentChildren; aside?: ComponentChildren }) {
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">{children}</div>
      {aside && <div class="govuk-grid-column-one-third">{aside}</div>}
    </div>
  );
}

export function Loading() {
  return (
    <p class="govuk-body" role="status">
      Loading…
    </p>
  );
}

/**
 * A screen's data, once loaded: "Loading…" until then, and the screen for a
 * failure, or "Page not found" when `select` finds nothing in what came.
 */
export function Loaded<T, V>({
  state,
  select,
  children,
}: {
  state: QueryState<T>;
  select: (data: T) => V | null | undefined;
  children: (value: V) => ComponentChildren;
}) {
  if (state.error) return <LoadError error={state.error} />;
  if (state.data === null) return <Loading />;
  const value = select(state.data);
  if (value === null || value === undefined) return <NotFound />;
  return <>{children(value)}</>;
}

/** For a screen whose data could not be loaded. */
export function LoadError({ error }: { error: ApiError }) {
  if (error.code === "NOT_FOUND") return <NotFound />;
  if (error.code === "FORBIDDEN") return <Forbidden />;
  return <ProblemWithService message={error.message} />;
}

export function NotFound() {
  useScreen("Page not found");
  return (
    <TwoThirds>
      <Heading>Page not found</Heading>
      <p class="govuk-body">If you typed the web address, check it is correct.</p>
      <p class="govuk-body">
        <a class="govuk-link" href={href("/")}>
          Go to the list of pages
        </a>
      </p>
    </TwoThirds>
  );
}

export function Forbidden() {
  useScreen("You cannot see this page");
  return (
    <TwoThirds>
      <Heading>You cannot see this page</Heading>
      <p class="govuk-body">Your role does not let you do this. Ask an admin if you need to.</p>
      <p class="govuk-body">
        <a class="govuk-link" href={href("/")}>
          Go to the list of pages
        </a>
      </p>
    </TwoThirds>
  );
}

export function ProblemWithService({ message }: { message: string }) {
  useScreen("Sorry, there is a problem with the service");
  return (
    <TwoThirds>
      <Heading>Sorry, there is a problem with the service</Heading>
      <p class="govuk-body">{message}</p>
      <p class="govuk-body">Try again later.</p>
    </TwoThirds>
  );
}
