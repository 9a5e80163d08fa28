// `skyql --help`. No imports: bin/skyql.js prints it on any Node, even one too old to run skyql.

export const HELP = `skyql — SQL for cloud resources

Usage:
  skyql exec "<statement>[; …]" [options]
  skyql exec -f file.sql [options]
  skyql shell [options]
  skyql manifest provider.service.resource    the YAML manifest of the resource's INSERT params
  skyql docs provider.service.resource        a Markdown page: fields, methods, params, examples
  skyql registry add spec.json --provider P --service S [--audience scope] [--replace]
                                              make an OpenAPI document queryable as P.S.*
                                              (--replace: replace a service that exists)
  skyql serve [--host 127.0.0.1] [--port 5466] [server options]
                                              a PostgreSQL wire-protocol server (psql, JDBC, BI tools)
  skyql mcp [--http --port N] [--allow-mutations] [--audit-log file]
                                              an MCP server for AI agents (stdio, or streamable HTTP)

Options:
  --var name=value         value for a {{ name }} placeholder (repeatable; "name=" is an empty value)
  --var-file file          variables from a YAML or JSON object; nested values are read
                           with {{ .a.b }} or {{ items[0].name }} (also --iqldata file)
  -o, --output format      table (default), json, jsonl or csv
  -x, --expanded           tables with one line per column and value
  --no-pager               never page long tables (default on a terminal: $SKYQL_PAGER, $PAGER or less -FRX)
  --subscription id        subscriptionId for statements that need one and do not give it
                           (default: $AZURE_SUBSCRIPTION_ID, the config file, then az's default subscription)
  --dry-run                print each planned request as a JSON line; send nothing, need no credentials
  --auth json              e.g. '{"azure":{"type":"bearer","credentialsenvvar":"AZURE_TOKEN"}}'
                           (default: {"azure":{"type":"azure_default"}}: az login, env, managed identity)
  --endpoint p=url         base URL override: azure=https://… or azure.synapse_artifacts=https://…
  --max-pages n            stop lists after n pages and say so on stderr (default: all pages)
  --connect-timeout ms     give up connecting after ms (default 10000)
  --timeout ms             give up when a response, headers and body, has not fully arrived after ms
                           (default: 60000 for the headers, 300000 in all)
  --max-response-bytes n   refuse a response body larger than n bytes (default 33554432, 32 MiB)
  --retries n              retries of a failed request that is safe to retry (default 4)
  --no-pacing              no client-side pacing to ARM's rate limits (local emulators)
  --http-log               print each request (method, URL, status, duration, request id) on stderr
  --registry-dir dir       your own registry (default $SKYQL_REGISTRY_DIR or ~/.skyql/providers)
  --allow-registry-replace let REGISTRY ADD statements replace existing services (off: scripts only add)
  -h, --help               this help
  -v, --version            the version

Server options (serve; mcp takes --host, --port, --http, --allow-mutations, --statement-timeout, --audit-log):
  --host addr              listen on addr (default 127.0.0.1; beyond loopback needs a password or
                           client certificates, and is read-only unless --allow-mutations)
  --port n                 listen on port n (serve: 5466; mcp --http: 5467)
  --user name              the user clients log in as (default skyql)
  --password-env NAME      require SCRAM-SHA-256 with the password in $NAME (default: SKYQL_SERVER_PASSWORD,
                           when set)
  --tls-cert f --tls-key f offer TLS with this certificate and key
  --tls-ca f               require client certificates signed by this CA (the CN is the user name)
  --read-only              refuse INSERT, REPLACE, UPDATE, DELETE, EXEC and REGISTRY ADD (SERVER_READ_ONLY)
  --allow-mutations        allow them beyond loopback (serve), or at all (mcp)
  --max-connections n      refuse more connections at once (default 64)
  --statement-timeout ms   cancel a statement after ms (default 300000; 0: never)
  --shutdown-grace ms      on SIGTERM, let running statements finish for ms (default 10000), then cancel them
  --audit-log file         mcp: where each tool call is logged as a JSON line (default ~/.skyql/mcp-audit.jsonl)

Config file: ~/.skyql/config.yaml or $SKYQL_CONFIG (auth, output, subscription, endpoints, registryDir, pager);
flags win over the environment, which wins over the file.

Exit status: 0 when every statement succeeded, 1 when one failed, 2 for bad options,
141 when stdout's reader went away (a closed pipe: | head).
`;
