// Who is signed in, shared by every screen. `undefined` until the first
// `me` query answers; `null` when nobody is signed in.

import { useEffect, useState } from "preact/hooks";
import type { CurrentUserFragment, Role } from "./generated/graphql";

export type Me = CurrentUserFragment;

let me: Me | null | undefined;
const listeners = new Set<() => void>();

export function getMe(): Me | null | undefined {
  return me;
}

export function setMe(value: Me | null): void {
  me = value;
  for (const listener of listeners) listener();
}

export function useMe(): Me | null | undefined {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return me;
}

/** What a role may do; the UI offers only these (the API checks them again). */
export type Ability =
  /** Edit, create and move questions and categories; edit page text. */
  | "edit"
  /** Publish, unpublish, archive, restore, delete; change page status. */
  | "publish"
  /** Create pages, change page addresses, manage users and webhooks, read the audit log. */
  | "admin";

const RANK: Record<Role, number> = { EDITOR: 1, PUBLISHER: 2, ADMIN: 3 };
const NEEDS: Record<Ability, number> = { edit: 1, publish: 2, admin: 3 };

export function can(user: Me | null | undefined, ability: Ability): boolean {
  return user != null && !user.disabled && RANK[user.role] >= NEEDS[ability];
}

export const ROLE_NAMES: Record<Role, string> = {
  EDITOR: "Editor",
  PUBLISHER: "Publisher",
  ADMIN: "Admin",
};
