import { useEffect, useState } from "preact/hooks";
import { request } from "../api";
import { EmailInput, PasswordInput } from "../components/AccountFields";
import { Button } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, TwoThirds } from "../components/Screen";
import { SignInDocument, SignInStepDocument } from "../generated/graphql";
import { errorsFrom, field, hasErrors, localErrors, useSubmit } from "../forms";
import { useLocation, useScreen } from "../hooks";
import { BASE, href, navigate, takeFlash } from "../router";
import { getMe, setMe } from "../session";

const FIELD_IDS = { email: "email", password: "password" };

/** Only somewhere inside the admin, never another site ("//evil.example"). */
export function safeNext(next: string | null): string {
  if (next && next.startsWith(`${BASE}/`) && !next.startsWith("//") && !next.includes("\\")) return next;
  return href("/");
}

/** Wrong email or password is one message, not about either field: it points at the first. */
function explain(error: unknown) {
  const found = errorsFrom(error, FIELD_IDS);
  if (Object.keys(found.fields).length > 0) return found;
  return { items: found.items.map((item) => ({ ...item, href: "#email" })), fields: {} };
}

export function SignIn() {
  const { query } = useLocation();
  const [flash] = useState(takeFlash);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const form = useSubmit({ ids: FIELD_IDS, flash });
  const { errors } = form;
  useScreen("Sign in", hasErrors(errors));

  useEffect(() => {
    if (getMe()) navigate(safeNext(query.get("next")), { replace: true });
  }, []);

  function submit(event: Event) {
    event.preventDefault();
    const missing: Array<[string, string]> = [];
    if (email.trim() === "") missing.push(["email", "Enter your email address"]);
    if (password === "") missing.push(["password", "Enter your password"]);
    if (missing.length > 0) return form.show(localErrors(missing));
    void form.submit(
      async () => {
        try {
          const data = await request(SignInDocument, { email: email.trim(), password });
          if (data.signIn) {
            setMe(data.signIn);
            navigate(safeNext(query.get("next")), { replace: true });
            return;
          }
          // The password was right; a code, or setting up an app, comes next.
          const { signInStep } = await request(SignInStepDocument);
          setMe(null, signInStep);
          const next = query.get("next");
          const path = signInStep === "ENROL_SECOND_FACTOR" ? "/account/two-factor" : "/sign-in/code";
          navigate(href(path, { next }), { replace: true });
        } catch (error) {
          setPassword("");
          throw error;
        }
      },
      { explain },
    );
  }

  return (
    <TwoThirds>
      <FormMessages form={form} />
      <Heading>Sign in</Heading>
      <form method="post" noValidate onSubmit={submit}>
        <EmailInput {...field(errors, "email", email, setEmail)} label="Email address" own />
        <PasswordInput {...field(errors, "password", password, setPassword)} label="Password" fresh={false} />
        <Button>Sign in</Button>
      </form>
    </TwoThirds>
  );
}
