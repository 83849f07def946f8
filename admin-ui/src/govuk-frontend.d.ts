// GOV.UK Frontend ships JavaScript without type declarations; these cover
// the part of its API this app uses.
declare module "govuk-frontend" {
  export interface ComponentClass {
    new (...args: never[]): unknown;
    moduleName: string;
  }

  export interface CreateAllOptions {
    scope?: Element | Document | null;
    onError?: (error: unknown, context: { element?: Element; component?: ComponentClass }) => void;
  }

  export function createAll<C extends ComponentClass>(
    component: C,
    config?: Record<string, unknown>,
    scopeOrOptions?: Element | Document | null | CreateAllOptions,
  ): unknown[];

  export function isSupported(scope?: HTMLElement | null): boolean;

  export const Button: ComponentClass;
  export const ErrorSummary: ComponentClass;
  export const NotificationBanner: ComponentClass;
  export const PasswordInput: ComponentClass;
  export const ServiceNavigation: ComponentClass;
  export const SkipLink: ComponentClass;
}
