import { useState } from "preact/hooks";
import { request } from "../api";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, TextInput } from "../components/Fields";
import { Heading, TwoThirds } from "../components/Screen";
import { CompleteSetupDocument } from "../generated/graphql";
import { errorsFrom, field, hasErrors, NO_ERRORS, type FormErrors } from "../forms";
import { useLocation, useScreen } from "../hooks";
import { href, navigate } from "../router";
import { setMe } from "../session";

/** The one-time link that `qanda serve` prints: create the first admin. */
export function Setup() {
  const { query } = useLocation();
  const token = query.get("token") ?? "";
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  useScreen("Create the first admin account", hasErrors(errors));

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const data = await request(CompleteSetupDocument, {
        token,
        email: email.trim(),
        displayName: displayName.trim(),
        password,
      });
      setMe(data.completeSetup);
      navigate(href("/"), { replace: true, flash: "Your admin account has been created and you are signed in." });
    } catch (error) {
      setErrors(
        errorsFrom(error, { email: "email", displayName: "display-name", password: "password" }),
      );
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  if (token === "") {
    return (
      <TwoThirds>
        <Heading>Create the first admin account</Heading>
        <p class="govuk-body">
          You need the one-time link that <code>qanda serve</code> prints when there is no admin yet. Open that
          link, or ask the person who runs qanda for it.
        </p>
      </TwoThirds>
    );
  }

  return (
    <TwoThirds>
      <ErrorSummary key={attempt} items={errors.items} />
      <Heading>Create the first admin account</Heading>
      <p class="govuk-body">This account can create pages, add other users and read the audit log.</p>
      <form method="post" noValidate onSubmit={submit}>
        <TextInput {...field(errors, "email", email, setEmail)}
          label="Email address"
          type="email"
          autocomplete="email"
          spellcheck={false}
        />
        <TextInput {...field(errors, "display-name", displayName, setDisplayName)}
          label="Your name"
          hint="Shown to other staff next to the changes you make."
          autocomplete="name"
        />
        <TextInput {...field(errors, "password", password, setPassword)}
          label="Create a password"
          hint="At least 12 characters."
          type="password"
          autocomplete="new-password"
          widthClass="govuk-input--width-20"
        />
        <Button>Create account</Button>
      </form>
    </TwoThirds>
  );
}
