import { useState } from "preact/hooks";
import { request } from "../api";
import { EmailInput, NameInput, PasswordInput } from "../components/AccountFields";
import { Button } from "../components/Fields";
import { FormMessages } from "../components/FormMessages";
import { RoleRadios } from "../components/RoleRadios";
import { Heading, Loaded } from "../components/Screen";
import { Cell, Table } from "../components/Table";
import { Tag } from "../components/Tag";
import {
  CreateUserDocument,
  DisableUserDocument,
  EnableUserDocument,
  UsersDocument,
  type Role,
  type UserFieldsFragment,
} from "../generated/graphql";
import { field, hasErrors, useSubmit, type SubmitState } from "../forms";
import { formatDateTime } from "../format";
import { useQuery, useScreen } from "../hooks";
import { href, takeFlash } from "../router";
import { ROLE_NAMES, type Me } from "../session";

export function UserStatus({ user }: { user: UserFieldsFragment }) {
  return user.disabled ? <Tag text="Disabled" colour="grey" /> : <Tag text="Active" colour="green" />;
}

/** Disables or enables a user; the success message. */
export async function toggleUser(user: UserFieldsFragment): Promise<[UserFieldsFragment, string]> {
  if (user.disabled) {
    const data = await request(EnableUserDocument, { id: user.id, version: user.version });
    return [data.enableUser, `${user.displayName} can sign in again`];
  }
  const data = await request(DisableUserDocument, { id: user.id, version: user.version });
  return [data.disableUser, `${user.displayName} has been disabled and signed out`];
}

/** "Enable" or "Disable", naming the user for screen readers. */
export function ToggleUserButton({ user, onClick, extraClass }: { user: UserFieldsFragment; onClick: () => void; extraClass?: string }) {
  return (
    <Button type="button" variant={user.disabled ? "secondary" : "warning"} extraClass={extraClass} onClick={onClick}>
      {user.disabled ? "Enable" : "Disable"}
      <span class="govuk-visually-hidden"> {user.displayName}</span>
    </Button>
  );
}

export function Users({ me }: { me: Me }) {
  const [flash] = useState(takeFlash);
  const users = useQuery(() => request(UsersDocument), []);
  const form = useSubmit({
    ids: { email: "email", displayName: "display-name", role: "role", password: "password" },
    flash,
    thing: "user",
    reload: users.reload,
  });
  // Until the list is here, <Loaded> names the screen (loading, or what went wrong).
  useScreen(users.data ? "Users" : null, hasErrors(form.errors));
  return (
    <Loaded state={users} select={(data) => data.users}>
      {(list) => (
        <>
          <FormMessages form={form} />
          <Heading>Users</Heading>
          <Table
            id="users"
            caption="Everyone who can sign in to qanda"
            columns={["Name", "Email", "Role", "Status", "Last signed in", { text: "Actions", hidden: true }]}
          >
            {list.map((user) => (
              <tr class="govuk-table__row" key={user.id} data-user-id={user.id}>
                <Cell>
                  <a class="govuk-link" href={href(`/users/${encodeURIComponent(user.id)}`)}>
                    {user.displayName}
                  </a>
                </Cell>
                <Cell>{user.email}</Cell>
                <Cell>{ROLE_NAMES[user.role]}</Cell>
                <Cell>
                  <UserStatus user={user} />
                </Cell>
                <Cell>{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : "Never"}</Cell>
                <Cell>
                  {user.id !== me.id && (
                    <ToggleUserButton
                      user={user}
                      extraClass="govuk-!-margin-bottom-0"
                      onClick={() =>
                        void form.submit(async () => {
                          const [, message] = await toggleUser(user);
                          await users.reload();
                          return message;
                        })
                      }
                    />
                  )}
                </Cell>
              </tr>
            ))}
          </Table>
          <p class="govuk-body">Select a name to change the user’s role or reset their password.</p>
          <CreateUser form={form} created={() => users.reload()} />
        </>
      )}
    </Loaded>
  );
}

function CreateUser({ form, created }: { form: SubmitState<unknown>; created: () => Promise<unknown> }) {
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<Role>("EDITOR");
  const [password, setPassword] = useState("");
  const { errors } = form;

  const create = (event: Event) => {
    event.preventDefault();
    void form.submit(async () => {
      const data = await request(CreateUserDocument, {
        input: { email: email.trim(), displayName: displayName.trim(), role, password },
      });
      setEmail("");
      setDisplayName("");
      setRole("EDITOR");
      setPassword("");
      await created();
      return `User ${data.createUser.displayName} created`;
    });
  };

  return (
    <div class="govuk-grid-row">
      <form class="govuk-grid-column-two-thirds" method="post" noValidate onSubmit={create}>
        <h2 class="govuk-heading-m">Create a user</h2>
        <EmailInput {...field(errors, "email", email, setEmail)} label="Email address" own={false} />
        <NameInput {...field(errors, "display-name", displayName, setDisplayName)}
          label="Name"
          hint="Shown to other staff next to the changes they make."
          own={false}
        />
        <RoleRadios value={role} onChange={setRole} error={errors.fields.role} />
        <PasswordInput {...field(errors, "password", password, setPassword)}
          label="Password"
          hint="At least 12 characters. Give it to them privately; they can change it under Your account."
          fresh
        />
        <Button>Create user</Button>
      </form>
    </div>
  );
}
