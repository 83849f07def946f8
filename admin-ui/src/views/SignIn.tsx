import { useEffect, useState } from "preact/hooks";
import { request } from "../api";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, TextInput } from "../components/Fields";
import { NotificationBanner } from "../components/NotificationBanner";
import { Heading, TwoThirds } from "../components/Screen";
import { SignInDocument } from "../generated/graphql";
import { errorsFrom, field, hasErrors, localErrors, NO_ERRORS, type FormErrors } from "../forms";
import { useLocation, useScreen } from "../hooks";
import { BASE, href, navigate, takeFlash } from "../router";
import { getMe, setMe } from "../session";

/** Only somewhere inside the admin, never another site ("//evil.example"). */
function safeNext(next: string | null): string {
  if (next && next.startsWith(`${BASE}/`) && !next.startsWith("//") && !next.includes("\\")) return next;
  return href("/");
}

export function SignIn() {
  const { query } = useLocation();
  const [flash] = useState(takeFlash);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  useScreen("Sign in", hasErrors(errors));

  useEffect(() => {
    if (getMe()) navigate(safeNext(query.get("next")), { replace: true });
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const missing: Array<[string, string]> = [];
    if (email.trim() === "") missing.push(["email", "Enter your email address"]);
    if (password === "") missing.push(["password", "Enter your password"]);
    if (missing.length > 0) {
      setErrors(localErrors(missing));
      setAttempt((n) => n + 1);
      return;
    }
    setBusy(true);
    try {
      const data = await request(SignInDocument, { email: email.trim(), password });
      setMe(data.signIn);
      navigate(safeNext(query.get("next")), { replace: true });
    } catch (error) {
      const found = errorsFrom(error, { email: "email", password: "password" });
      // Wrong email or password: one message, pointing at the first field.
      setErrors(
        found.items.length > 0 && Object.keys(found.fields).length === 0
          ? { items: found.items.map((item) => ({ ...item, href: "#email" })), fields: {} }
          : found,
      );
      setPassword("");
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  return (
    <TwoThirds>
      {flash && <NotificationBanner heading={flash} autoFocus={false} />}
      <ErrorSummary key={attempt} items={errors.items} />
      <Heading>Sign in</Heading>
      <form method="post" noValidate onSubmit={submit}>
        <TextInput {...field(errors, "email", email, setEmail)}
          label="Email address"
          type="email"
          autocomplete="email"
          spellcheck={false}
        />
        <TextInput {...field(errors, "password", password, setPassword)}
          label="Password"
          type="password"
          autocomplete="current-password"
          widthClass="govuk-input--width-20"
        />
        <Button>Sign in</Button>
      </form>
    </TwoThirds>
  );
}
