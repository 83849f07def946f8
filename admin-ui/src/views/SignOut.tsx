import { useEffect } from "preact/hooks";
import { request } from "../api";
import { Heading, TwoThirds } from "../components/Screen";
import { SignOutDocument } from "../generated/graphql";
import { useScreen } from "../hooks";
import { href, navigate } from "../router";
import { setMe } from "../session";

/** The "Sign out" link in the header: ends the session, then shows sign in. */
export function SignOut() {
  useScreen("Signing out");
  useEffect(() => {
    signOut();
  }, []);
  return (
    <TwoThirds>
      <Heading>Signing out</Heading>
      <p class="govuk-body" role="status">
        Signing you out…
      </p>
    </TwoThirds>
  );
}

export function signOut(): void {
  request(SignOutDocument)
    .catch(() => undefined)
    .finally(() => {
      setMe(null);
      navigate(href("/sign-in"), { replace: true, force: true, flash: "You have signed out." });
    });
}
