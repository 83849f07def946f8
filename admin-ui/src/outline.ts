// A category does not name its page in the schema, so screens that start
// from a question or a category find their page in the outline of every page.

import type { OutlineQuery } from "./generated/graphql";

export type OutlinePage = OutlineQuery["pages"][number];
export type OutlineCategory = OutlinePage["categories"][number];

export function findCategory(
  outline: OutlineQuery,
  categoryId: string,
): { page: OutlinePage; category: OutlineCategory } | null {
  for (const page of outline.pages) {
    const category = page.categories.find((c) => c.id === categoryId);
    if (category) return { page, category };
  }
  return null;
}

export function pagePath(page: Pick<OutlinePage, "slug">): string {
  return `/pages/${encodeURIComponent(page.slug)}`;
}
