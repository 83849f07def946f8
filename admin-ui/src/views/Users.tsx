import { useRef, useState } from "preact/hooks";
import { ApiError, request } from "../api";
import { ErrorSummary } from "../components/ErrorSummary";
import { Button, Radios, TextInput } from "../components/Fields";
import { NotificationBanner } from "../components/NotificationBanner";
import { Heading, LoadError, Loading } from "../components/Screen";
import { Tag } from "../components/Tag";
import {
  CreateUserDocument,
  DisableUserDocument,
  EnableUserDocument,
  UsersDocument,
  type Role,
  type UserFieldsFragment,
} from "../generated/graphql";
import { errorsFrom, field, hasErrors, NO_ERRORS, type FormErrors } from "../forms";
import { formatDateTime } from "../format";
import { useQuery, useScreen } from "../hooks";
import { href, takeFlash } from "../router";
import { ROLE_NAMES, type Me } from "../session";

export const ROLE_CHOICES = [
  { value: "EDITOR", text: "Editor", hint: "Drafts and edits questions, answers, categories and page text." },
  { value: "PUBLISHER", text: "Publisher", hint: "Also publishes, unpublishes, archives, restores and deletes." },
  { value: "ADMIN", text: "Admin", hint: "Also creates pages, manages users and reads the audit log." },
];

export function UserStatus({ user }: { user: UserFieldsFragment }) {
  return user.disabled ? <Tag text="Disabled" colour="grey" /> : <Tag text="Active" colour="green" />;
}

export function Users({ me }: { me: Me }) {
  const [flash] = useState(takeFlash);
  const users = useQuery(() => request(UsersDocument), []);
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<Role>("EDITOR");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [banner, setBanner] = useState<{ text: string; key: number } | null>(null);
  const busy = useRef(false);
  useScreen(users.data || users.error ? "Users" : null, hasErrors(errors));

  if (users.error) return <LoadError error={users.error} />;
  if (!users.data) return <Loading />;

  async function act(run: () => Promise<string>, fieldIds: Record<string, string> = {}) {
    if (busy.current) return;
    busy.current = true;
    try {
      const message = await run();
      setErrors(NO_ERRORS);
      await users.reload();
      setBanner({ text: message, key: Date.now() });
    } catch (error) {
      setBanner(null);
      setErrors(
        error instanceof ApiError && error.code === "CONFLICT"
          ? { items: [{ text: "Someone else changed this user at the same time. Check the list and try again." }], fields: {} }
          : errorsFrom(error, fieldIds),
      );
      if (error instanceof ApiError && error.code === "CONFLICT") await users.reload();
      setAttempt((n) => n + 1);
    } finally {
      busy.current = false;
    }
  }

  const create = (event: Event) => {
    event.preventDefault();
    void act(
      async () => {
        const data = await request(CreateUserDocument, {
          input: { email: email.trim(), displayName: displayName.trim(), role, password },
        });
        setEmail("");
        setDisplayName("");
        setRole("EDITOR");
        setPassword("");
        return `User ${data.createUser.displayName} created`;
      },
      { email: "email", displayName: "display-name", role: "role", password: "password" },
    );
  };

  const toggle = (user: UserFieldsFragment) =>
    act(async () => {
      if (user.disabled) {
        await request(EnableUserDocument, { id: user.id, version: user.version });
        return `${user.displayName} can sign in again`;
      }
      await request(DisableUserDocument, { id: user.id, version: user.version });
      return `${user.displayName} has been disabled and signed out`;
    });

  return (
    <>
      {flash && !banner && <NotificationBanner heading={flash} autoFocus={false} />}
      {banner && <NotificationBanner key={banner.key} heading={banner.text} />}
      <ErrorSummary key={attempt} items={errors.items} />
      <Heading>Users</Heading>
      <table class="govuk-table" id="users">
        <caption class="govuk-table__caption govuk-visually-hidden">Everyone who can sign in to qanda</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">
              Name
            </th>
            <th scope="col" class="govuk-table__header">
              Email
            </th>
            <th scope="col" class="govuk-table__header">
              Role
            </th>
            <th scope="col" class="govuk-table__header">
              Status
            </th>
            <th scope="col" class="govuk-table__header">
              Last signed in
            </th>
            <th scope="col" class="govuk-table__header">
              <span class="govuk-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {users.data.users.map((user) => (
            <tr class="govuk-table__row" key={user.id} data-user-id={user.id}>
              <td class="govuk-table__cell">
                <a class="govuk-link" href={href(`/users/${encodeURIComponent(user.id)}`)}>
                  {user.displayName}
                </a>
              </td>
              <td class="govuk-table__cell">{user.email}</td>
              <td class="govuk-table__cell">{ROLE_NAMES[user.role]}</td>
              <td class="govuk-table__cell">
                <UserStatus user={user} />
              </td>
              <td class="govuk-table__cell">{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : "Never"}</td>
              <td class="govuk-table__cell">
                {user.id !== me.id && (
                  <Button
                    type="button"
                    variant={user.disabled ? "secondary" : "warning"}
                    extraClass="govuk-!-margin-bottom-0"
                    onClick={() => void toggle(user)}
                  >
                    {user.disabled ? "Enable" : "Disable"}
                    <span class="govuk-visually-hidden"> {user.displayName}</span>
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="govuk-body">Select a name to change the user’s role or reset their password.</p>

      <div class="govuk-grid-row">
        <form class="govuk-grid-column-two-thirds" method="post" noValidate onSubmit={create}>
          <h2 class="govuk-heading-m">Create a user</h2>
          <TextInput {...field(errors, "email", email, setEmail)}
            label="Email address"
            type="email"
            autocomplete="off"
            spellcheck={false}
          />
          <TextInput {...field(errors, "display-name", displayName, setDisplayName)}
            label="Name"
            hint="Shown to other staff next to the changes they make."
            autocomplete="off"
          />
          <Radios
            id="role"
            legend="Role"
            choices={ROLE_CHOICES}
            value={role}
            onChange={(value) => setRole(value as Role)}
            error={errors.fields.role}
          />
          <TextInput {...field(errors, "password", password, setPassword)}
            label="Password"
            hint="At least 12 characters. Give it to them privately; they can change it under Your account."
            type="password"
            autocomplete="new-password"
            widthClass="govuk-input--width-20"
          />
          <Button>Create user</Button>
        </form>
      </div>
    </>
  );
}
