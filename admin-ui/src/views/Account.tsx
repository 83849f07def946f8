import { useState } from "preact/hooks";
import { request } from "../api";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, TextInput } from "../components/Fields";
import { NotificationBanner } from "../components/NotificationBanner";
import { Heading, TwoThirds } from "../components/Screen";
import { ChangePasswordDocument } from "../generated/graphql";
import { errorsFrom, field, hasErrors, NO_ERRORS, type FormErrors } from "../forms";
import { formatDateTime } from "../format";
import { useScreen } from "../hooks";
import { ROLE_NAMES, setMe, type Me } from "../session";
import { signOut } from "./SignOut";

export function Account({ me }: { me: Me }) {
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [banner, setBanner] = useState<{ text: string; key: number } | null>(null);
  const [busy, setBusy] = useState(false);
  useScreen("Your account", hasErrors(errors));

  async function changePassword(event: Event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      const data = await request(ChangePasswordDocument, { currentPassword, newPassword });
      setMe(data.changePassword);
      setCurrentPassword("");
      setNewPassword("");
      setErrors(NO_ERRORS);
      setBanner({ text: "Your password has been changed. Your other sessions have been signed out.", key: Date.now() });
    } catch (error) {
      setBanner(null);
      setErrors(errorsFrom(error, { currentPassword: "current-password", newPassword: "new-password" }));
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  return (
    <TwoThirds>
      {banner && <NotificationBanner key={banner.key} heading={banner.text} />}
      <ErrorSummary key={attempt} items={errors.items} />
      <Heading>Your account</Heading>
      <dl class="govuk-summary-list">
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Name</dt>
          <dd class="govuk-summary-list__value">{me.displayName}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Email</dt>
          <dd class="govuk-summary-list__value">{me.email}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Role</dt>
          <dd class="govuk-summary-list__value">{ROLE_NAMES[me.role]}</dd>
        </div>
        <div class="govuk-summary-list__row">
          <dt class="govuk-summary-list__key">Last signed in</dt>
          <dd class="govuk-summary-list__value">{me.lastSignInAt ? formatDateTime(me.lastSignInAt) : "Now"}</dd>
        </div>
      </dl>

      <form method="post" noValidate onSubmit={changePassword}>
        <h2 class="govuk-heading-m">Change your password</h2>
        <TextInput {...field(errors, "current-password", currentPassword, setCurrentPassword)}
          label="Current password"
          type="password"
          autocomplete="current-password"
          widthClass="govuk-input--width-20"
        />
        <TextInput {...field(errors, "new-password", newPassword, setNewPassword)}
          label="New password"
          hint="At least 12 characters."
          type="password"
          autocomplete="new-password"
          widthClass="govuk-input--width-20"
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
