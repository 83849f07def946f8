import { useRef, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, Radios, TextInput } from "../components/Fields";
import { NotificationBanner } from "../components/NotificationBanner";
import { Heading, LoadError, Loading, TwoThirds } from "../components/Screen";
import {
  DisableUserDocument,
  EnableUserDocument,
  ResetUserPasswordDocument,
  SetUserRoleDocument,
  UsersDocument,
  type Role,
  type UserFieldsFragment,
} from "../generated/graphql";
import { errorsFrom, field, hasErrors, NO_ERRORS, type FormErrors } from "../forms";
import { formatDateTime } from "../format";
import { useQuery, useScreen } from "../hooks";
import { href } from "../router";
import { ROLE_NAMES, type Me } from "../session";
import { ROLE_CHOICES, UserStatus } from "./Users";

/** /admin/users/:id: change a user's role, reset their password, disable or enable them. */
export function UserDetail({ id, me }: { id: string; me: Me }) {
  const users = useQuery(() => request(UsersDocument), []);
  const user = users.data?.users.find((u) => u.id === id);
  const missing = users.data !== null && !user;
  useScreen(users.error || missing ? "Page not found" : null);
  if (users.error) return <LoadError error={users.error} />;
  if (missing) return <LoadError error={new ApiError("NOT_FOUND", "No such user.")} />;
  if (!user) return <Loading />;
  return <UserForms initial={user} me={me} />;
}

function UserForms({ initial, me }: { initial: UserFieldsFragment; me: Me }) {
  const [user, setUser] = useState(initial);
  const [role, setRole] = useState<Role>(initial.role);
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [banner, setBanner] = useState<{ text: string; key: number } | null>(null);
  const busy = useRef(false);
  const self = user.id === me.id;
  useScreen(user.displayName, hasErrors(errors));

  async function act(run: () => Promise<[UserFieldsFragment, string]>) {
    if (busy.current) return;
    busy.current = true;
    try {
      const [saved, message] = await run();
      setUser(saved);
      setRole(saved.role);
      setErrors(NO_ERRORS);
      setBanner({ text: message, key: Date.now() });
    } catch (error) {
      setBanner(null);
      if (error instanceof ApiError && error.code === "CONFLICT") {
        const fresh = await request(UsersDocument).catch(() => null);
        const latest = fresh?.users.find((u) => u.id === user.id);
        if (latest) {
          setUser(latest);
          setRole(latest.role);
        }
        setErrors({
          items: [{ text: "Someone else changed this user at the same time. Their changes are shown now; try again." }],
          fields: {},
        });
      } else {
        setErrors(errorsFrom(error, { role: "role", password: "new-password" }));
      }
      setAttempt((n) => n + 1);
    } finally {
      busy.current = false;
    }
  }

  const changeRole = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const data = await request(SetUserRoleDocument, { id: user.id, version: user.version, role });
      return [data.setUserRole, `${data.setUserRole.displayName} is now ${ROLE_NAMES[data.setUserRole.role].toLowerCase()}`];
    });
  };

  const resetPassword = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const data = await request(ResetUserPasswordDocument, { id: user.id, version: user.version, password });
      setPassword("");
      return [data.resetUserPassword, `Password reset. ${data.resetUserPassword.displayName} has been signed out everywhere.`];
    });
  };

  const toggle = () =>
    act(async () => {
      if (user.disabled) {
        const data = await request(EnableUserDocument, { id: user.id, version: user.version });
        return [data.enableUser, `${data.enableUser.displayName} can sign in again`];
      }
      const data = await request(DisableUserDocument, { id: user.id, version: user.version });
      return [data.disableUser, `${data.disableUser.displayName} has been disabled and signed out`];
    });

  return (
    <>
      <a href={href("/users")} class="govuk-back-link">
        All users
      </a>
      <TwoThirds>
        {banner && <NotificationBanner key={banner.key} heading={banner.text} />}
        <ErrorSummary key={attempt} items={errors.items} />
        <Heading caption="User">{user.displayName}</Heading>
        <dl class="govuk-summary-list">
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Email</dt>
            <dd class="govuk-summary-list__value">{user.email}</dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Role</dt>
            <dd class="govuk-summary-list__value">{ROLE_NAMES[user.role]}</dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Status</dt>
            <dd class="govuk-summary-list__value">
              <UserStatus user={user} />
            </dd>
          </div>
          <div class="govuk-summary-list__row">
            <dt class="govuk-summary-list__key">Last signed in</dt>
            <dd class="govuk-summary-list__value">{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : "Never"}</dd>
          </div>
        </dl>

        {self ? (
          <p class="govuk-body">
            This is you. Another admin must change your role or disable your account; change your own password under{" "}
            <a class="govuk-link" href={href("/account")}>
              Your account
            </a>
            .
          </p>
        ) : (
          <>
            <form method="post" noValidate onSubmit={changeRole}>
              <h2 class="govuk-heading-m">Change role</h2>
              <Radios
                id="role"
                legend="Role"
                choices={ROLE_CHOICES}
                value={role}
                onChange={(value) => setRole(value as Role)}
                error={errors.fields.role}
              />
              <Button variant="secondary">Change role</Button>
            </form>

            <form method="post" noValidate onSubmit={resetPassword}>
              <h2 class="govuk-heading-m">Reset password</h2>
              <TextInput {...field(errors, "new-password", password, setPassword)}
                label="New password"
                hint="At least 12 characters. Their sessions stop working."
                type="password"
                autocomplete="new-password"
                widthClass="govuk-input--width-20"
              />
              <Button variant="secondary">Reset password</Button>
            </form>

            <h2 class="govuk-heading-m">{user.disabled ? "Enable" : "Disable"} this user</h2>
            <p class="govuk-body">
              {user.disabled
                ? "They will be able to sign in again."
                : "They will be signed out at once and will not be able to sign in."}
            </p>
            <Button type="button" variant={user.disabled ? "secondary" : "warning"} onClick={() => void toggle()}>
              {user.disabled ? "Enable" : "Disable"}
              <span class="govuk-visually-hidden"> {user.displayName}</span>
            </Button>
          </>
        )}
      </TwoThirds>
    </>
  );
}
