import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { request } from "../api";
import { ReviewCountDocument } from "../generated/graphql";
import { href } from "../router";
import { can, type Me } from "../session";

interface NavItem {
  text: string;
  path: string;
  /** Paths under /admin that count as this section. */
  active: (path: string) => boolean;
}

function navigation(me: Me, waiting: number | null): NavItem[] {
  const items: NavItem[] = [
    {
      text: "Pages",
      path: "/",
      active: (p) => p === "/" || p.startsWith("/pages") || p.startsWith("/questions") || p === "/create-page",
    },
  ];
  if (can(me, "publish")) {
    const count = waiting === null ? "" : ` (${waiting})`;
    items.push({ text: `Waiting for review${count}`, path: "/reviews", active: (p) => p.startsWith("/reviews") });
  }
  items.push({ text: "Your work", path: "/my-work", active: (p) => p.startsWith("/my-work") });
  if (can(me, "manageUsers")) {
    items.push({ text: "Users", path: "/users", active: (p) => p.startsWith("/users") });
    items.push({ text: "Audit log", path: "/audit", active: (p) => p.startsWith("/audit") });
  }
  if (can(me, "manageWebhooks")) {
    items.push({ text: "Webhooks", path: "/webhooks", active: (p) => p.startsWith("/webhooks") });
  }
  items.push({ text: "Your account", path: "/account", active: (p) => p.startsWith("/account") });
  return items;
}

/** How many items wait for review, asked again on every screen (publishers). */
function useWaitingCount(me: Me | null | undefined, path: string): number | null {
  const [count, setCount] = useState<number | null>(null);
  const publisher = can(me, "publish");
  useEffect(() => {
    if (!publisher) return;
    let current = true;
    request(ReviewCountDocument)
      .then((data) => current && setCount(data.reviewCount))
      .catch(() => current && setCount(null));
    return () => {
      current = false;
    };
  }, [publisher, path]);
  return publisher ? count : null;
}

function Header({ me, path }: { me: Me | null | undefined; path: string }) {
  const waiting = useWaitingCount(me, path);
  const items = me ? navigation(me, waiting) : [];
  return (
    <header class="govuk-template__header">
      {/* A new element once signed in, so GOV.UK Frontend sets up the menu toggle for it. */}
      <section
        key={me ? "signed-in" : "signed-out"}
        aria-label="Service information"
        class="govuk-service-navigation"
        data-module="govuk-service-navigation"
      >
        <div class="govuk-width-container">
          <div class="govuk-service-navigation__container">
            <span class="govuk-service-navigation__service-name">
              <a href={href("/")} class="govuk-service-navigation__link">
                qanda
              </a>
            </span>
            {me && (
              <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
                <button
                  type="button"
                  class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"
                  aria-controls="navigation"
                  hidden
                  aria-hidden="true"
                >
                  Menu
                </button>
                <ul class="govuk-service-navigation__list" id="navigation">
                  {items.map((item) => {
                    const active = item.active(path);
                    return (
                      <li
                        key={item.path}
                        class={`govuk-service-navigation__item${active ? " govuk-service-navigation__item--active" : ""}`}
                      >
                        <a
                          class="govuk-service-navigation__link"
                          href={href(item.path)}
                          aria-current={active ? "true" : undefined}
                        >
                          {active ? (
                            <strong class="govuk-service-navigation__active-fallback">{item.text}</strong>
                          ) : (
                            item.text
                          )}
                        </a>
                      </li>
                    );
                  })}
                  <li class="govuk-service-navigation__item">
                    <a class="govuk-service-navigation__link" href={href("/sign-out")}>
                      Sign out
                    </a>
                  </li>
                </ul>
              </nav>
            )}
          </div>
        </div>
      </section>
    </header>
  );
}

export function Layout({
  me,
  path,
  children,
}: {
  me: Me | null | undefined;
  path: string;
  children: ComponentChildren;
}) {
  return (
    <>
      <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">
        Skip to main content
      </a>
      <Header me={me} path={path} />
      <div class="govuk-width-container">
        <main class="govuk-main-wrapper" id="main-content">
          {children}
        </main>
      </div>
      <footer class="govuk-footer">
        <div class="govuk-width-container">
          <div class="govuk-footer__meta">
            <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
              <p class="govuk-body-s govuk-!-margin-bottom-0">qanda: questions and answers, edited here, read through GraphQL.</p>
            </div>
          </div>
        </div>
      </footer>
    </>
  );
}
