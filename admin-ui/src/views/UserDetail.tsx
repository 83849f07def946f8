import { useState } from "preact/hooks";
import { request } from "../api";
import { PasswordInput } from "../components/AccountFields";
import { ConfirmPanel, useConfirm } from "../components/ConfirmPanel";
import { Button } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { RoleRadios } from "../components/RoleRadios";
import { Heading, Loaded, TwoThirds } from "../components/Screen";
import { SummaryList } from "../components/SummaryList";
import {
  ResetUserPasswordDocument,
  ResetUserTwoFactorDocument,
  SetUserRoleDocument,
  UsersDocument,
  type Role,
  type UserFieldsFragment,
} from "../generated/graphql";
import { field, hasErrors, useSubmit } from "../forms";
import { formatDateTime } from "../format";
import { useQuery, useScreen } from "../hooks";
import { href } from "../router";
import { ROLE_NAMES, type Me } from "../session";
import { ToggleUserButton, toggleUser, UserStatus } from "./Users";

/** /admin/users/:id: change a user's role, reset their password, disable or enable them. */
export function UserDetail({ id, me }: { id: string; me: Me }) {
  const users = useQuery(() => request(UsersDocument), []);
  return (
    <Loaded state={users} select={(data) => data.users.find((u) => u.id === id)}>
      {(user) => <UserForms initial={user} me={me} />}
    </Loaded>
  );
}

function UserForms({ initial, me }: { initial: UserFieldsFragment; me: Me }) {
  const [user, setUser] = useState(initial);
  const [role, setRole] = useState<Role>(initial.role);
  const [password, setPassword] = useState("");
  const self = user.id === me.id;

  function adopt(saved: UserFieldsFragment) {
    setUser(saved);
    setRole(saved.role);
  }

  const form = useSubmit({
    ids: { role: "role", password: "new-password" },
    thing: "user",
    reload: async () => {
      const latest = (await request(UsersDocument)).users.find((u) => u.id === user.id) ?? null;
      if (latest) adopt(latest);
      return latest;
    },
  });
  const { errors } = form;
  useScreen(user.displayName, hasErrors(errors));

  /** Runs a change to the user; shows what it saved and says so. */
  const change = (run: () => Promise<[UserFieldsFragment, string]>) =>
    void form.submit(async () => {
      const [saved, message] = await run();
      adopt(saved);
      return message;
    });

  const changeRole = (event: Event) => {
    event.preventDefault();
    change(async () => {
      const saved = (await request(SetUserRoleDocument, { id: user.id, version: user.version, role })).setUserRole;
      return [saved, `${saved.displayName} is now ${ROLE_NAMES[saved.role].toLowerCase()}`];
    });
  };

  const confirm = useConfirm<"reset-two-factor">();
  const resetTwoFactor = () => {
    confirm.close();
    change(async () => {
      const data = await request(ResetUserTwoFactorDocument, { id: user.id, version: user.version });
      const name = data.resetUserTwoFactor.displayName;
      return [data.resetUserTwoFactor, `Two-factor sign-in reset. ${name} has been signed out everywhere.`];
    });
  };

  const resetPassword = (event: Event) => {
    event.preventDefault();
    change(async () => {
      const data = await request(ResetUserPasswordDocument, { id: user.id, version: user.version, password });
      setPassword("");
      return [data.resetUserPassword, `Password reset. ${data.resetUserPassword.displayName} has been signed out everywhere.`];
    });
  };

  return (
    <>
      <a href={href("/users")} class="govuk-back-link">
        All users
      </a>
      <TwoThirds>
        <FormMessages form={form} />
        <Heading caption="User">{user.displayName}</Heading>
        <SummaryList
          rows={[
            { key: "Email", value: user.email },
            { key: "Role", value: ROLE_NAMES[user.role] },
            { key: "Status", value: <UserStatus user={user} /> },
            { key: "Last signed in", value: user.lastSignInAt ? formatDateTime(user.lastSignInAt) : "Never" },
            { key: "Two-factor sign-in", value: user.twoFactorEnabled ? "On" : "Off", id: "two-factor-status" },
          ]}
        />

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
              <RoleRadios value={role} onChange={setRole} error={errors.fields.role} />
              <Button variant="secondary">Change role</Button>
            </form>

            <form method="post" noValidate onSubmit={resetPassword}>
              <h2 class="govuk-heading-m">Reset password</h2>
              <PasswordInput {...field(errors, "new-password", password, setPassword)}
                label="New password"
                hint="At least 12 characters. Their sessions stop working."
                fresh
              />
              <Button variant="secondary">Reset password</Button>
            </form>

            {user.twoFactorEnabled && (
              <>
                <h2 class="govuk-heading-m">Reset two-factor sign-in</h2>
                <p class="govuk-body">
                  For someone who has lost their authenticator app and their recovery codes. They will be signed out
                  everywhere, then sign in with their password alone and can set up an app again.
                </p>
                <Button
                  type="button"
                  variant="warning"
                  id="action-reset-two-factor"
                  onClick={(event) => confirm.ask("reset-two-factor", event)}
                >
                  Reset two-factor sign-in
                </Button>
                {confirm.asking === "reset-two-factor" && (
                  <ConfirmPanel
                    heading={`Reset two-factor sign-in for ${user.displayName}?`}
                    choices={[{ text: "Yes, reset", variant: "warning", onChoose: resetTwoFactor }]}
                    onCancel={confirm.cancel}
                  >
                    <p class="govuk-body">
                      Their authenticator app and recovery codes will stop working, and they will be signed out
                      everywhere. Make sure it is really them who asked.
                    </p>
                  </ConfirmPanel>
                )}
              </>
            )}

            <h2 class="govuk-heading-m">{user.disabled ? "Enable" : "Disable"} this user</h2>
            <p class="govuk-body">
              {user.disabled
                ? "They will be able to sign in again."
                : "They will be signed out at once and will not be able to sign in."}
            </p>
            <ToggleUserButton user={user} onClick={() => change(() => toggleUser(user))} />
          </>
        )}
      </TwoThirds>
    </>
  );
}
