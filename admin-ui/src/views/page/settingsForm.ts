// The page settings form: what it holds, and how it follows the page when
// the page changes under it.

import type { PageSettingsFragment, PageStatus } from "../../generated/graphql";

export interface Form {
  title: string;
  intro: string;
  footer: string;
  slug: string;
  status: PageStatus;
}

export function formOf(page: PageSettingsFragment): Form {
  return { title: page.title, intro: page.intro, footer: page.footer, slug: page.slug, status: page.status };
}

/**
 * The form after the page changed under it (reinstated, or saved by someone
 * else): fields the user has not touched take the page's new values, the
 * ones they changed keep their changes.
 */
export function rebase(form: Form, base: Form, page: PageSettingsFragment): Form {
  const latest = formOf(page);
  const next = { ...latest };
  for (const key of Object.keys(form) as (keyof Form)[]) {
    if (form[key] !== base[key]) (next as Record<keyof Form, string>)[key] = form[key];
  }
  // The status follows the page: it is not something to carry over.
  next.status = latest.status;
  return next;
}

export const FIELD_IDS = { title: "title", intro: "intro", footer: "footer", slug: "slug", status: "status" };
