// GraphiQL for GET /graphql in a browser, bundled here so that it works
// offline and under the same strict CSP as the admin UI. GraphiQL needs real
// React; the admin UI's JSX is Preact's, so this file uses createElement
// rather than JSX and never goes through the Preact JSX runtime.

import "graphiql/style.css";
import "./graphiql.css";
import { GraphiQL, type GraphiQLProps } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";

const SAMPLE_QUERY = `{
  page(slug: "local-digital-qa") {
    title
    categories {
      title
      questions {
        question
        answerHtml
      }
    }
  }
}
`;

/** POST /graphql with the session cookie, as the admin UI does. */
const fetcher: GraphiQLProps["fetcher"] = async (params, options) => {
  const response = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...options?.headers,
    },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    // A proxy's or the timeout layer's plain-text answer: show it as it is.
    throw new Error(`${response.status} ${response.statusText}: ${text}`);
  }
};

const root = document.getElementById("graphiql");
if (root === null) throw new Error("graphiql.html has no #graphiql element");

createRoot(root).render(createElement(GraphiQL, { fetcher, defaultQuery: SAMPLE_QUERY }));
