// The inputs for who someone is and how they sign in, the same on every
// screen that asks (sign in, set-up, your account, users).

import type { ComponentChildren } from "preact";
import { TextInput } from "./Fields";

interface Props {
  id: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  label: string;
  hint?: ComponentChildren;
}

/**
 * `own`: the person's own address, which the browser may fill in; staff
 * typing someone else's get no suggestions.
 */
export function EmailInput({ own, ...props }: Props & { own: boolean }) {
  return <TextInput {...props} type="email" autocomplete={own ? "email" : "off"} spellcheck={false} />;
}

/** `fresh`: a password being chosen (password managers offer to make one). */
export function PasswordInput({ fresh, ...props }: Props & { fresh: boolean }) {
  return (
    <TextInput
      {...props}
      type="password"
      autocomplete={fresh ? "new-password" : "current-password"}
      widthClass="govuk-input--width-20"
    />
  );
}

export function NameInput({ own, ...props }: Props & { own: boolean }) {
  return <TextInput {...props} autocomplete={own ? "name" : "off"} />;
}
