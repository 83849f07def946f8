import { useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { Button, TextInput } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, TwoThirds } from "../components/Screen";
import { SignInSecondFactorDocument } from "../generated/graphql";
import { errorsFrom, field, hasErrors, localErrors, useSubmit } from "../forms";
import { useLocation, useScreen } from "../hooks";
import { href, navigate } from "../router";
import { setMe } from "../session";
import { safeNext } from "./SignIn";

const FIELD_IDS = { code: "code" };

/** A sign-in that has waited too long for its code starts again with the password. */
function explain(error: unknown) {
  if (error instanceof ApiError && error.code === "UNAUTHENTICATED") {
    return { items: [{ text: error.message, href: href("/sign-in") }], fields: {} };
  }
  return errorsFrom(error, FIELD_IDS);
}

/** /sign-in/code: the second half of signing in, after a right password. */
export function SignInCode() {
  const { query } = useLocation();
  const [code, setCode] = useState("");
  const form = useSubmit({ ids: FIELD_IDS });
  const { errors } = form;
  useScreen("Enter the code from your authenticator app", hasErrors(errors));

  function submit(event: Event) {
    event.preventDefault();
    if (code.trim() === "") return form.show(localErrors([["code", "Enter the code from your authenticator app"]]));
    void form.submit(
      async () => {
        try {
          const data = await request(SignInSecondFactorDocument, { code });
          setMe(data.signInSecondFactor);
          navigate(safeNext(query.get("next")), { replace: true });
        } catch (error) {
          setCode("");
          throw error;
        }
      },
      { explain },
    );
  }

  return (
    <TwoThirds>
      <FormMessages form={form} />
      <Heading>Enter the code from your authenticator app</Heading>
      <p class="govuk-body">Open the authenticator app on your phone. It shows a new 6-digit code for qanda every 30 seconds.</p>
      <form method="post" noValidate onSubmit={submit}>
        <TextInput {...field(errors, "code", code, setCode)}
          label="Code"
          hint="If you do not have your phone, enter one of your recovery codes instead. Each recovery code works once."
          autocomplete="one-time-code"
          widthClass="govuk-input--width-20"
          spellcheck={false}
        />
        <Button>Continue</Button>
      </form>
      <p class="govuk-body">
        <a class="govuk-link" href={href("/sign-out")}>
          Cancel and sign out
        </a>
      </p>
      <p class="govuk-body">
        If you have lost your phone and your recovery codes, ask an administrator to reset your two-factor sign-in.
      </p>
    </TwoThirds>
  );
}
