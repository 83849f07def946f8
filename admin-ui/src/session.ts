// Who is signed in, shared by every screen. `undefined` until the first
// `me` query answers; `null` when nobody is signed in.

import { useEffect, useState } from "preact/hooks";
import type { CurrentUserFragment, Role, SignInStep } from "./generated/graphql";

export type Me = CurrentUserFragment;

let me: Me | null | undefined;
/** Where this browser's session stands in signing in (a code or setting up an app may be next). */
let step: SignInStep = "SIGNED_OUT";
const listeners = new Set<() => void>();

export function getMe(): Me | null | undefined {
  return me;
}

export function setMe(value: Me | null, stepNow?: SignInStep): void {
  me = value;
  step = stepNow ?? (value ? "SIGNED_IN" : "SIGNED_OUT");
  for (const listener of listeners) listener();
}

export function getStep(): SignInStep {
  return step;
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

/** What a user's role lets them do, as the API says (`User.can`); it checks again on every change. */
export type Ability = Exclude<keyof Me["can"], "__typename">;

export function can(user: Me | null | undefined, ability: Ability): boolean {
  return user != null && user.can[ability];
}

export const ROLE_NAMES: Record<Role, string> = {
  EDITOR: "Editor",
  PUBLISHER: "Publisher",
  ADMIN: "Admin",
};
