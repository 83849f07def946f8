import type { Role } from "../generated/graphql";
import { Radios } from "./Fields";

const ROLE_CHOICES = [
  { value: "EDITOR", text: "Editor", hint: "Drafts and edits questions, answers, categories and page text." },
  { value: "PUBLISHER", text: "Publisher", hint: "Also publishes, unpublishes, archives, restores and deletes." },
  { value: "ADMIN", text: "Admin", hint: "Also creates pages, manages users and reads the audit log." },
];

/** The choice of a user's role, with what each role may do. */
export function RoleRadios({
  value,
  onChange,
  error,
}: {
  value: Role;
  onChange: (role: Role) => void;
  error?: string | undefined;
}) {
  return (
    <Radios
      id="role"
      legend="Role"
      choices={ROLE_CHOICES}
      value={value}
      onChange={(role) => onChange(role as Role)}
      error={error}
    />
  );
}
