/**
 * The indexer's HTTP API (Ponder serves it on its port, 42069 by default): GraphQL at `/graphql` (and `/`), and
 * read-only SQL over HTTP at `/sql/*` for `@ponder/client`. Ponder itself adds `/health`, `/ready`, `/status` and
 * `/metrics`.
 */
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/", graphql({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

export default app;
