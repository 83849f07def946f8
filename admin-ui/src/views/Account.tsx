import { useState } from "preact/hooks";
import { request } from "../api";
import { PasswordInput } from "../components/AccountFields";
import { Button } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, TwoThirds } from "../components/Screen";
import { SummaryList } from "../components/SummaryList";
import { ChangePasswordDocument, TwoFactorStatusDocument } from "../generated/graphql";
import { field, hasErrors, useSubmit } from "../forms";
import { formatDateTime } from "../format";
import { useQuery, useScreen } from "../hooks";
import { href } from "../router";
import { ROLE_NAMES, setMe, type Me } from "../session";
import { signOut } from "./SignOut";

export function Account({ me }: { me: Me }) {
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const form = useSubmit({ ids: { currentPassword: "current-password", newPassword: "new-password" } });
  const { errors } = form;
  useScreen("Your account", hasErrors(errors));
  const twoFactor = useQuery(() => request(TwoFactorStatusDocument), []);

  function changePassword(event: Event) {
    event.preventDefault();
    void form.submit(async () => {
      const data = await request(ChangePasswordDocument, { currentPassword, newPassword });
      setMe(data.changePassword);
      setCurrentPassword("");
      setNewPassword("");
      return "Your password has been changed. Your other sessions have been signed out.";
    });
  }

  return (
    <TwoThirds>
      <FormMessages form={form} />
      <Heading>Your account</Heading>
      <SummaryList
        rows={[
          { key: "Name", value: me.displayName },
          { key: "Email", value: me.email },
          { key: "Role", value: ROLE_NAMES[me.role] },
          { key: "Last signed in", value: me.lastSignInAt ? formatDateTime(me.lastSignInAt) : "Now" },
        ]}
      />

      <h2 class="govuk-heading-m">Two-factor sign-in</h2>
      <TwoFactorStatus status={twoFactor.data?.me ?? null} />

      <form method="post" noValidate onSubmit={changePassword}>
        <h2 class="govuk-heading-m">Change your password</h2>
        <PasswordInput {...field(errors, "current-password", currentPassword, setCurrentPassword)}
          label="Current password"
          fresh={false}
        />
        <PasswordInput {...field(errors, "new-password", newPassword, setNewPassword)}
          label="New password"
          hint="At least 12 characters."
          fresh
        />
        <Button variant="secondary">Change password</Button>
      </form>

      <h2 class="govuk-heading-m">Sign out</h2>
      <p class="govuk-body">Signing out ends this session on the server.</p>
      <Button type="button" onClick={signOut}>
        Sign out
      </Button>
    </TwoThirds>
  );
}

function TwoFactorStatus({ status }: { status: { twoFactorEnabled?: boolean | null; recoveryCodesLeft?: number | null } | null }) {
  if (status === null) {
    return (
      <p class="govuk-body" role="status">
        Loading…
      </p>
    );
  }
  if (!status.twoFactorEnabled) {
    return (
      <>
        <p class="govuk-body">
          Off. You sign in with your password alone. Set up an authenticator app on your phone so that your password
          is not enough on its own.
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href={href("/account/two-factor")}>
            Set up two-factor sign-in
          </a>
        </p>
      </>
    );
  }
  const left = status.recoveryCodesLeft ?? 0;
  return (
    <>
      <p class="govuk-body">
        On. You sign in with your password and a code from your authenticator app. You have {left} unused recovery{" "}
        {left === 1 ? "code" : "codes"}.
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href={href("/account/two-factor")}>
          Set up a new authenticator app
        </a>{" "}
        (for a new phone, or to get new recovery codes; the old app works until the new one is set up)
      </p>
    </>
  );
}
