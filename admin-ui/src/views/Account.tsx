import { useState } from "preact/hooks";
import { request } from "../api";
import { PasswordInput } from "../components/AccountFields";
import { Button } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { Heading, TwoThirds } from "../components/Screen";
import { SummaryList } from "../components/SummaryList";
import { ChangePasswordDocument } from "../generated/graphql";
import { field, hasErrors, useSubmit } from "../forms";
import { formatDateTime } from "../format";
import { useScreen } from "../hooks";
import { ROLE_NAMES, setMe, type Me } from "../session";
import { signOut } from "./SignOut";

export function Account({ me }: { me: Me }) {
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const form = useSubmit({ ids: { currentPassword: "current-password", newPassword: "new-password" } });
  const { errors } = form;
  useScreen("Your account", hasErrors(errors));

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
