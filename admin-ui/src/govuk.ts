// GOV.UK Frontend's JavaScript for the components that need it, started for
// every element that appears. Preact renders views at any time, so rather
// than each view remembering to call createAll, a MutationObserver calls it
// after each render; components already started are skipped.

import {
  createAll,
  ErrorSummary,
  NotificationBanner,
  ServiceNavigation,
  SkipLink,
  type ComponentClass,
} from "govuk-frontend";

const COMPONENTS: ComponentClass[] = [ServiceNavigation, SkipLink, NotificationBanner, ErrorSummary];

function isAlreadyStarted(error: unknown): boolean {
  return error instanceof Error && error.name === "InitError";
}

export function initGovuk(scope: Element): void {
  for (const component of COMPONENTS) {
    createAll(component, undefined, {
      scope,
      onError: (error) => {
        if (!isAlreadyStarted(error)) console.error(error);
      },
    });
  }
}

export function startGovukComponents(scope: Element): void {
  let queued = false;
  const observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      initGovuk(scope);
    });
  });
  observer.observe(scope, { childList: true, subtree: true });
  initGovuk(scope);
}
