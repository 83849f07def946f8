import { useState } from "preact/hooks";
import { request } from "../api";
import { EmailInput, NameInput, PasswordInput } from "../components/AccountFields";
import { Button } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, Loaded, TwoThirds } from "../components/Screen";
import { CompleteSetupDocument, SetupLinkUsableDocument } from "../generated/graphql";
import { field, hasErrors, useSubmit } from "../forms";
import { useLocation, useQuery, useScreen } from "../hooks";
import { href, navigate } from "../router";
import { setMe } from "../session";

/**
 * The one-time link that `qanda serve` prints: create the first admin.
 * Whether the link still works is asked as the screen opens, so that
 * nobody fills in a form that cannot be sent.
 */
export function Setup() {
  const { query } = useLocation();
  const token = query.get("token") ?? "";
  const link = useQuery(async () => token !== "" && (await request(SetupLinkUsableDocument, { token })).setupLinkUsable, [token]);
  if (token === "") return <NoLink />;
  return (
    <Loaded state={link} select={(usable) => usable}>
      {(usable) => (usable ? <SetupForm token={token} /> : <UsedLink />)}
    </Loaded>
  );
}

function NoLink() {
  useScreen("Create the first admin account");
  return (
    <TwoThirds>
      <Heading>Create the first admin account</Heading>
      <p class="govuk-body">
        You need the one-time link that <code>qanda serve</code> prints when there is no admin yet. Open that link,
        or ask the person who runs qanda for it.
      </p>
    </TwoThirds>
  );
}

function UsedLink() {
  useScreen("This link has already been used");
  return (
    <TwoThirds>
      <Heading>This link has already been used</Heading>
      <p class="govuk-body">
        A link to create the first admin account works once, within an hour of being made. Ask an administrator to
        give you an account, or{" "}
        <a class="govuk-link" href={href("/sign-in")}>
          sign in
        </a>{" "}
        if you have one.
      </p>
    </TwoThirds>
  );
}

function SetupForm({ token }: { token: string }) {
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const form = useSubmit({ ids: { email: "email", displayName: "display-name", password: "password" } });
  const { errors } = form;
  useScreen("Create the first admin account", hasErrors(errors));

  const submit = (event: Event) => {
    event.preventDefault();
    void form.submit(async () => {
      const data = await request(CompleteSetupDocument, {
        token,
        email: email.trim(),
        displayName: displayName.trim(),
        password,
      });
      if (data.completeSetup) {
        setMe(data.completeSetup);
        navigate(href("/"), { replace: true, flash: "Your admin account has been created and you are signed in." });
      } else {
        // Admins must use two-factor sign-in here: set it up first.
        setMe(null, "ENROL_SECOND_FACTOR");
        navigate(href("/account/two-factor"), { replace: true });
      }
    });
  };

  return (
    <TwoThirds>
      <FormMessages form={form} />
      <Heading>Create the first admin account</Heading>
      <p class="govuk-body">This account can create pages, add other users and read the audit log.</p>
      <form method="post" noValidate onSubmit={submit}>
        <EmailInput {...field(errors, "email", email, setEmail)} label="Email address" own />
        <NameInput {...field(errors, "display-name", displayName, setDisplayName)}
          label="Your name"
          hint="Shown to other staff next to the changes you make."
          own
        />
        <PasswordInput {...field(errors, "password", password, setPassword)}
          label="Create a password"
          hint="At least 12 characters."
          fresh
        />
        <Button>Create account</Button>
      </form>
    </TwoThirds>
  );
}
